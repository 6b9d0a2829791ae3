import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { DomainError } from '../errors/error-codes.js';

/** Whether a handler has a whole-body parameter (`@Body()` without a property name). */
function takesBody(context: ExecutionContext): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<string, { data?: unknown }>;
  return Object.entries(args).some(([key, arg]) => key.startsWith(`${RouteParamtypes.BODY}:`) && arg.data === undefined);
}

/**
 * An empty body is no body (json-body.ts); on a route that takes one, no body
 * — or a JSON body that is not an object (`null`, `3`, `[]`) — is a 400
 * naming `body` before validation, which would let it through as "no fields
 * given" (docs/api.md, "Request bodies").
 */
@Injectable()
export class BodyRequiredInterceptor implements NestInterceptor {
  private readonly verdicts = new WeakMap<object, boolean>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const handler = context.getHandler();
    let needsBody = this.verdicts.get(handler);
    if (needsBody === undefined) this.verdicts.set(handler, (needsBody = takesBody(context)));
    if (needsBody) {
      const body = context.switchToHttp().getRequest<FastifyRequest>().body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new DomainError('VALIDATION_FAILED', 'Invalid field(s): body', [{ field: 'body', message: 'must be a JSON object' }]);
      }
    }
    return next.handle();
  }
}
