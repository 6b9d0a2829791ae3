import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * The request's query string as the client sent it (without `?`), for routes
 * that relay to a service which validates the same query DTO itself: the
 * client gets the service's `400` naming the field, and the gateway does not
 * validate the hottest reads twice. Custom parameters bypass the global
 * ValidationPipe.
 */
export const RawQuery = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const url = context.switchToHttp().getRequest<FastifyRequest>().url;
  const start = url.indexOf('?');
  return start === -1 ? '' : url.slice(start + 1);
});
