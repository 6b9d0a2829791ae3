import type { IncomingHttpHeaders } from 'node:http';
import { type Context, context, propagation, ROOT_CONTEXT, type TextMapGetter } from '@opentelemetry/api';
import { TRACE_PARENT_HEADER, TRACE_STATE_HEADER } from '@opentelemetry/core';
import type { IHeaders } from 'kafkajs';
import { Tracing } from './tracing.js';

export { TRACE_PARENT_HEADER, TRACE_STATE_HEADER };

/**
 * W3C trace context (https://www.w3.org/TR/trace-context/) as it travels in
 * HTTP headers, outbox rows and Kafka headers.
 */
export interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
}

/**
 * The trace context of `ctx` (the active span by default) as headers. Empty
 * when tracing is off or no span is active, so callers can always spread it.
 */
export function traceHeaders(ctx: Context = context.active()): TraceHeaders {
  const carrier: TraceHeaders = {};
  if (Tracing.enabled) propagation.inject(ctx, carrier);
  return carrier;
}

/** The caller's span named by `traceparent`/`tracestate` request headers, as a parent context. */
export function contextFromHttpHeaders(headers: IncomingHttpHeaders): Context {
  return Tracing.enabled ? propagation.extract(ROOT_CONTEXT, headers) : ROOT_CONTEXT;
}

/** kafkajs hands header values over as Buffers (or arrays of them when a name repeats). */
const kafkaHeaders: TextMapGetter<IHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** The producer's span named by a Kafka message's `traceparent`/`tracestate` headers, as a parent context. */
export function contextFromKafkaHeaders(headers: IHeaders | undefined): Context {
  return Tracing.enabled && headers ? propagation.extract(ROOT_CONTEXT, headers, kafkaHeaders) : ROOT_CONTEXT;
}

/**
 * The trace context an outbox row stored, as the parent of the relay's
 * producer span. (A relay that does not trace passes the stored values on
 * unparsed.)
 */
export function contextFromStored(traceparent: string | null, tracestate: string | null): Context {
  if (!Tracing.enabled || !traceparent) return ROOT_CONTEXT;
  const carrier: TraceHeaders = { traceparent };
  if (tracestate) carrier.tracestate = tracestate;
  return propagation.extract(ROOT_CONTEXT, carrier);
}
