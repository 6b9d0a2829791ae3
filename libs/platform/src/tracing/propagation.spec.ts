import { context, propagation, ROOT_CONTEXT, type SpanContext, trace, TraceFlags } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { loadConfig, serviceEnv } from '../config/config.js';
import { contextFromHttpHeaders, contextFromKafkaHeaders, contextFromStored, traceHeaders } from './propagation.js';
import { startTracing, stopTracing } from './setup.js';
import { Tracing } from './tracing.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;
const logger = { info: () => undefined, warn: () => undefined };
const config = (env: Record<string, string> = {}) => loadConfig(serviceEnv, { PORT: '1', ...env });

/** A context whose active span is the given remote one (as a request handler would have). */
function withRemoteSpan(spanContext: SpanContext) {
  return trace.setSpanContext(ROOT_CONTEXT, spanContext);
}

describe('trace propagation with tracing off (no endpoint)', () => {
  beforeAll(() => {
    expect(startTracing('spec', config(), logger)).toBe(false);
  });

  it('leaves the switch off and registers nothing', () => {
    expect(Tracing.enabled).toBe(false);
    expect(propagation.fields()).toEqual([]);
  });

  it('injects nothing and extracts nothing', () => {
    const active = withRemoteSpan({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
    expect(traceHeaders(active)).toEqual({});
    expect(contextFromHttpHeaders({ traceparent: TRACEPARENT })).toBe(ROOT_CONTEXT);
    expect(contextFromKafkaHeaders({ traceparent: Buffer.from(TRACEPARENT) })).toBe(ROOT_CONTEXT);
    expect(contextFromStored(TRACEPARENT, null)).toBe(ROOT_CONTEXT);
  });

  it('hands out the no-op tracer, whose spans record nothing', () => {
    const span = Tracing.tracer.startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(false);
    span.end();
  });
});

describe('trace propagation with tracing on', () => {
  const exporter = new InMemorySpanExporter();

  beforeAll(() => {
    expect(startTracing('spec', config(), logger, exporter)).toBe(true);
  });
  afterAll(async () => {
    await stopTracing();
    expect(Tracing.enabled).toBe(false);
  });

  it('round-trips a span through HTTP headers', () => {
    const span = Tracing.tracer.startSpan('client');
    const headers = traceHeaders(trace.setSpan(context.active(), span));
    const { traceId, spanId } = span.spanContext();
    expect(headers).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });

    const remote = trace.getSpanContext(contextFromHttpHeaders({ ...headers, 'x-request-id': 'abc' }));
    expect(remote).toEqual({ traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    span.end();
  });

  it('keeps tracestate, and an unsampled caller stays unsampled', () => {
    const extracted = contextFromHttpHeaders({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-00`, tracestate: 'vendor=abc,other=1' });
    const remote = trace.getSpanContext(extracted);
    expect(remote?.traceFlags).toBe(TraceFlags.NONE);
    expect(traceHeaders(extracted)).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-00`, tracestate: 'vendor=abc,other=1' });
  });

  it('round-trips through Kafka headers as kafkajs delivers them (Buffers, repeated names)', () => {
    const headers = traceHeaders(withRemoteSpan({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, traceState: undefined }));
    const asConsumed = { 'event-type': Buffer.from('user.registered'), traceparent: [Buffer.from(headers.traceparent ?? '')] };
    expect(trace.getSpanContext(contextFromKafkaHeaders(asConsumed))).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, isRemote: true });
    expect(trace.getSpanContext(contextFromKafkaHeaders({ traceparent: TRACEPARENT }))).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID });
  });

  it('round-trips through an outbox row', () => {
    const stored = contextFromStored(TRACEPARENT, 'vendor=abc');
    expect(trace.getSpanContext(stored)).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID });
    expect(traceHeaders(stored)).toEqual({ traceparent: TRACEPARENT, tracestate: 'vendor=abc' });
    expect(contextFromStored(null, null)).toBe(ROOT_CONTEXT);
  });

  it('ignores missing or malformed trace headers', () => {
    for (const traceparent of ['', 'garbage', `00-${'0'.repeat(32)}-${SPAN_ID}-01`, `00-${TRACE_ID}-${SPAN_ID}`]) {
      expect(trace.getSpanContext(contextFromHttpHeaders({ traceparent }))).toBeUndefined();
    }
    expect(trace.getSpanContext(contextFromKafkaHeaders(undefined))).toBeUndefined();
    expect(traceHeaders(ROOT_CONTEXT)).toEqual({});
  });
});
