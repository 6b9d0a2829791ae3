import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { loadConfig, serviceEnv } from '../config/config.js';
import { traceHeaders } from './propagation.js';
import { flushTracing, startTracing, stopTracing } from './setup.js';
import { activeTraceIds, endServerSpan, inSpan, startConsumerSpan, startProducerSpan, startServerSpan, withSpan } from './spans.js';
import { Tracing } from './tracing.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('span helpers (tracing on, spans kept in memory)', () => {
  const exporter = new InMemorySpanExporter();
  const finished = async (): Promise<ReadableSpan[]> => {
    await flushTracing();
    return exporter.getFinishedSpans();
  };

  beforeAll(() => {
    startTracing('spec', loadConfig(serviceEnv, { PORT: '1', OTEL_SERVICE_NAME: 'spec-service' }), { info: () => undefined, warn: () => undefined }, exporter);
  });
  afterEach(() => exporter.reset());
  afterAll(() => stopTracing());

  it('makes a SERVER span that continues the caller’s trace and is named by the route template', async () => {
    const { span, parent } = startServerSpan('POST', '/auth/register', '/auth/register?x=1', { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` }, 'req-1');
    const inside = withSpan(span, parent, () => activeTraceIds());
    endServerSpan(span, 201);

    const [server] = await finished();
    expect(server).toMatchObject({ name: 'POST /auth/register', kind: SpanKind.SERVER, status: { code: SpanStatusCode.UNSET } });
    expect(server.spanContext().traceId).toBe(TRACE_ID);
    expect(server.parentSpanContext?.spanId).toBe(SPAN_ID);
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/auth/register',
      'url.path': '/auth/register',
      'http.response.status_code': 201,
      'warble.request_id': 'req-1',
    });
    expect(server.resource.attributes['service.name']).toBe('spec-service');
    // While the span is active, log lines get its ids.
    expect(inside).toEqual({ traceId: TRACE_ID, spanId: server.spanContext().spanId });
  });

  it('starts a new trace without traceparent, and only 5xx fails a SERVER span', async () => {
    const notFound = startServerSpan('GET', undefined, '/nope', {}, 'req-2');
    endServerSpan(notFound.span, 404);
    const broken = startServerSpan('GET', '/users/me', '/users/me', {}, 'req-3');
    endServerSpan(broken.span, 503);

    const [missing, failed] = await finished();
    expect(missing.name).toBe('GET');
    expect(missing.parentSpanContext).toBeUndefined();
    expect(missing.status.code).toBe(SpanStatusCode.UNSET);
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes['error.type']).toBe('503');
  });

  it('links producer → consumer through the message headers', async () => {
    const writer = Tracing.tracer.startSpan('request');
    const writerContext = trace.setSpan(ROOT_CONTEXT, writer);
    const writtenAt = new Date(Date.now() - 250);
    const producer = startProducerSpan({ topic: 'users.events.v1', key: '42', eventId: 'e-1', eventType: 'user.registered', writtenAt }, writerContext);
    const headers = traceHeaders(trace.setSpan(writerContext, producer));
    producer.end();
    writer.end();

    // As kafkajs hands them to the consumer: Buffers.
    const kafkaHeaders = { traceparent: Buffer.from(headers.traceparent ?? '') };
    const { span: consumer } = startConsumerSpan({ topic: 'users.events.v1', partition: 3, offset: '17', key: '42', headers: kafkaHeaders }, 'graph');
    consumer.end();

    const spans = await finished();
    const byKind = (kind: SpanKind) => spans.find((span) => span.kind === kind);
    const [sent, received] = [byKind(SpanKind.PRODUCER), byKind(SpanKind.CONSUMER)];
    expect(sent?.name).toBe('send users.events.v1');
    expect(sent?.parentSpanContext?.spanId).toBe(writer.spanContext().spanId);
    // The producer span starts when the row was written: the outbox wait is part of it.
    expect(sent?.startTime[0]).toBe(Math.floor(writtenAt.getTime() / 1000));
    expect(received?.name).toBe('process users.events.v1');
    expect(received?.spanContext().traceId).toBe(writer.spanContext().traceId);
    expect(received?.parentSpanContext?.spanId).toBe(sent?.spanContext().spanId);
    expect(received?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'users.events.v1',
      'messaging.consumer.group.name': 'graph',
      'messaging.kafka.message.key': '42',
      'messaging.kafka.offset': 17,
      'messaging.destination.partition.id': '3',
    });
  });

  it('inSpan parents nested work, ends the span and fails it on a throw', async () => {
    await expect(
      inSpan('outer', { kind: SpanKind.CLIENT }, async () => {
        await inSpan('inner', {}, () => Promise.resolve());
        throw new Error('upstream down');
      }),
    ).rejects.toThrow('upstream down');

    const spans = await finished();
    const outer = spans.find((span) => span.name === 'outer');
    const inner = spans.find((span) => span.name === 'inner');
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
    expect(outer?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'upstream down' });
    expect(outer?.events.map((event) => event.name)).toEqual(['exception']);
  });
});
