import type { FastifyInstance } from 'fastify';
import type { AppLogger } from '../logging/logger.js';
import { acceptRequestId, runWithContext } from '../logging/request-context.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Gives every request an id (the caller's if sane), echoes it in the
 * response, makes it visible to all code the request runs, and writes one
 * access-log line per request with the route template, status and latency.
 */
export function installRequestHooks(fastify: FastifyInstance, logger: AppLogger): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const requestId = acceptRequestId(request.headers[REQUEST_ID_HEADER]);
    void reply.header(REQUEST_ID_HEADER, requestId);
    const authorization = request.headers.authorization;
    runWithContext({ requestId, authorization }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    logger.info(
      {
        requestId: reply.getHeader(REQUEST_ID_HEADER),
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        latencyMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
    done();
  });
}
