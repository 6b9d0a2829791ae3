import { Metrics } from '@app/platform';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RouteAssignment } from './route-assignment.js';

/** Assignments of requests in flight, observed when their answer has gone out. */
const inFlight = new WeakMap<FastifyRequest, RouteAssignment>();

/** Marks a request as one of a route under test. */
export function trackAssignment(request: FastifyRequest, assignment: RouteAssignment): void {
  inFlight.set(request, assignment);
}

/**
 * Per-variant request count, status and latency of the routes under test
 * (docs/operations.md, "Experiments"), as the client saw them: measured at
 * the gateway, after any error was mapped. Callers outside an experiment
 * count as variant "none".
 */
export function installExperimentMetrics(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const assignment = inFlight.get(request);
    if (assignment) {
      inFlight.delete(request);
      const route = request.routeOptions.url ?? 'unmatched';
      const status = String(reply.statusCode);
      for (const [experiment, variant = 'none'] of assignment.variants) {
        Metrics.experimentRequests.inc({ experiment, variant, route, status });
        Metrics.experimentDuration.observe({ experiment, variant, route }, reply.elapsedTime / 1000);
      }
    }
    done();
  });
}
