import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemFor } from '../errors/problem.js';
import type { AppLogger } from '../logging/logger.js';
import { REQUEST_ID_HEADER } from './request-hooks.js';

/**
 * The fault switch (`FAULT_500_ROUTE`, e.g. "GET /posts/:id"): the process
 * answers every request of that method and route template with a 500
 * problem, and serves everything else as usual. It exists to prove that a
 * canary built to fail is aborted (docs/operations.md, "A canary on this
 * machine"); unset, nothing is installed. Install it after the request
 * hooks, so that its answers are counted and logged like real failures.
 */
export function installFaultSwitch(fastify: FastifyInstance, route: string | undefined, logger: AppLogger): void {
  if (!route) return;
  const [method, template] = route.split(' ');
  logger.warn({ faultRoute: route }, `fault switch on: every ${route} is answered with 500`);
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.method !== method || request.routeOptions.url !== template) {
      done();
      return;
    }
    const requestId = reply.getHeader(REQUEST_ID_HEADER);
    const problem = problemFor('INTERNAL', `Fault switch: ${route} fails on purpose.`, typeof requestId === 'string' ? requestId : undefined);
    void reply.status(500).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  });
}
