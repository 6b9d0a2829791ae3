import type { Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppLogger } from '../logging/logger.js';
import { acceptRequestId, runWithContext } from '../logging/request-context.js';
import { Metrics } from '../metrics/instruments.js';
import { endServerSpan, startServerSpan, withSpan } from '../tracing/spans.js';
import { Tracing } from '../tracing/tracing.js';
import { CANARY_HEADER, canaryOverride } from './canary-split.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Probes: a span each would bury the real traffic (every pod is probed every few seconds). Scrapes use their own listener. */
const UNTRACED_ROUTES = new Set(['/health/live', '/health/ready']);

/** The SERVER span of each traced request in flight (only filled while tracing is on). */
const serverSpans = new WeakMap<FastifyRequest, Span>();

/**
 * The request counter and latency histogram bound to one route, method and
 * status, made once: prom-client hashes a label object on every call, a
 * cost each request would otherwise pay twice. Bounded like the labels are.
 */
const boundInstruments = new Map<string, { requests: { inc(): void }; duration: { observe(seconds: number): void } }>();
function httpInstruments(route: string, method: string, status: number) {
  const key = `${method} ${status} ${route}`;
  let bound = boundInstruments.get(key);
  if (!bound) {
    const labels = { route, method, status: String(status) };
    bound = { requests: Metrics.httpRequests.labels(labels), duration: Metrics.httpDuration.labels(labels) };
    boundInstruments.set(key, bound);
  }
  return bound;
}

/** Hands the span out once, so it is ended once whichever of abort and response comes. */
function takeServerSpan(request: FastifyRequest): Span | undefined {
  const span = serverSpans.get(request);
  serverSpans.delete(request);
  return span;
}

/**
 * Gives every request an id (the caller's if sane), echoes it in the
 * response, makes it visible to all code the request runs, and writes one
 * access-log line per request with the route template, status and latency.
 * With tracing on, each request also gets a SERVER span (continuing the
 * caller's trace from `traceparent`) that is active for all of its work.
 */
export function installRequestHooks(fastify: FastifyInstance, logger: AppLogger): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    Metrics.httpActive.inc();
    const requestId = acceptRequestId(request.headers[REQUEST_ID_HEADER]);
    void reply.header(REQUEST_ID_HEADER, requestId);
    const authorization = request.headers.authorization;
    const canary = canaryOverride(request.headers[CANARY_HEADER]);
    const route = request.routeOptions.url;
    if (!Tracing.enabled || (route !== undefined && UNTRACED_ROUTES.has(route))) {
      runWithContext({ requestId, authorization, canary }, done);
      return;
    }
    const { span, parent } = startServerSpan(request.method, route, request.url, request.headers, requestId);
    serverSpans.set(request, span);
    // Both stores are entered around `done`: Fastify runs the rest of the request (body, Nest pipeline, handler) inside.
    withSpan(span, parent, () => runWithContext({ requestId, authorization, canary }, done));
  });
  // A client that hangs up before the answer never reaches onResponse.
  fastify.addHook('onRequestAbort', (request, done) => {
    Metrics.httpActive.dec();
    const span = Tracing.enabled ? takeServerSpan(request) : undefined;
    if (span) {
      span.addEvent('client aborted the request');
      span.end();
    }
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const instruments = httpInstruments(route, request.method, reply.statusCode);
    Metrics.httpActive.dec();
    instruments.requests.inc();
    instruments.duration.observe(reply.elapsedTime / 1000);
    const span = Tracing.enabled ? takeServerSpan(request) : undefined;
    if (span) endServerSpan(span, reply.statusCode);
    logger.info(
      {
        requestId: reply.getHeader(REQUEST_ID_HEADER),
        method: request.method,
        route,
        status: reply.statusCode,
        latencyMs: Math.round(reply.elapsedTime * 10) / 10,
        ...(span ? { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId } : {}),
      },
      'request',
    );
    done();
  });
}
