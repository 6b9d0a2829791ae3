import type { FastifyInstance } from 'fastify';
import type { AppLogger } from '../logging/logger.js';
import { acceptRequestId, runWithContext } from '../logging/request-context.js';
import { Metrics } from '../metrics/instruments.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Gives every request an id (the caller's if sane), echoes it in the
 * response, makes it visible to all code the request runs, and writes one
 * access-log line per request with the route template, status and latency.
 */
export function installRequestHooks(fastify: FastifyInstance, logger: AppLogger): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    Metrics.httpActive.inc();
    const requestId = acceptRequestId(request.headers[REQUEST_ID_HEADER]);
    void reply.header(REQUEST_ID_HEADER, requestId);
    const authorization = request.headers.authorization;
    runWithContext({ requestId, authorization }, done);
  });
  // A client that hangs up before the answer never reaches onResponse.
  fastify.addHook('onRequestAbort', (_request, done) => {
    Metrics.httpActive.dec();
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { route, method: request.method, status: String(reply.statusCode) };
    Metrics.httpActive.dec();
    Metrics.httpRequests.inc(labels);
    Metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    logger.info(
      {
        requestId: reply.getHeader(REQUEST_ID_HEADER),
        method: request.method,
        route,
        status: reply.statusCode,
        latencyMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
    done();
  });
}
