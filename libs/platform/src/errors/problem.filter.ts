import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOGGER } from '../logging/logging.module.js';
import type { AppLogger } from '../logging/logger.js';
import { currentRequestId } from '../logging/request-context.js';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, problemFor, toProblem } from './problem.js';

/** Which methods the app serves on a path (http/route-table.ts), for 405 answers. */
export interface AllowedMethods {
  allowedMethods(path: string): string[];
}

/** The one global filter: every HTTP error leaves as RFC 9457 problem details. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly logger: AppLogger,
    /** With it, a known path asked with a method it lacks is a 405 with `Allow` instead of a 404. */
    private readonly routes?: AllowedMethods,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      // Kafka handlers deal with their own failures (retry, dead letter).
      throw error;
    }
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const requestId = currentRequestId() ?? String(request.id);
    let problem = toProblem(error, requestId);
    if (problem.code === 'ROUTE_NOT_FOUND' && request.is404) problem = this.methodNotAllowed(request, reply, requestId) ?? problem;
    if (problem.status >= 500) {
      this.logger.error({ err: error, route: request.routeOptions?.url }, 'request failed');
    }
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }

  private methodNotAllowed(request: FastifyRequest, reply: FastifyReply, requestId: string): ProblemDetails | undefined {
    const allowed = this.routes?.allowedMethods(request.url.split('?')[0]) ?? [];
    if (allowed.length === 0) return undefined;
    void reply.header('allow', allowed.join(', '));
    return problemFor('METHOD_NOT_ALLOWED', `${request.method} is not allowed on this path; allowed: ${allowed.join(', ')}.`, requestId);
  }
}
