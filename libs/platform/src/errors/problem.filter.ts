import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOGGER } from '../logging/logging.module.js';
import type { AppLogger } from '../logging/logger.js';
import { currentRequestId } from '../logging/request-context.js';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem.js';

/** The one global filter: every HTTP error leaves as RFC 9457 problem details. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: AppLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      // Kafka handlers deal with their own failures (retry, dead letter).
      throw error;
    }
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const problem = toProblem(error, currentRequestId() ?? String(request.id));
    if (problem.status >= 500) {
      this.logger.error({ err: error, route: request.routeOptions?.url }, 'request failed');
    }
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }
}
