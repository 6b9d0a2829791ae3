import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig, serviceEnv } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { currentRequestId } from '../logging/request-context.js';
import { flushTracing, startTracing, stopTracing } from '../tracing/setup.js';
import { installJsonBodyParser } from './json-body.js';
import { installRequestHooks } from './request-hooks.js';

const logger = createLogger('spec', 'silent');

/** A Fastify app with Warble's hooks and body parser; the handlers report what they see of the request's context. */
async function app(): Promise<FastifyInstance> {
  const fastify = Fastify();
  installJsonBodyParser(fastify, 16 * 1024);
  installRequestHooks(fastify, logger);
  const seen = async () => {
    // After an await, as a real handler's database call would be.
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { requestId: currentRequestId() ?? null, traceId: trace.getActiveSpan()?.spanContext().traceId ?? null };
  };
  fastify.post('/posts/:id/comments', seen);
  fastify.get('/health/ready', seen);
  fastify.get('/boom', async (_request, reply) => reply.status(503).send({}));
  await fastify.ready();
  return fastify;
}

describe('request hooks with tracing off', () => {
  it('keep the request context and make no span', async () => {
    const fastify = await app();
    const response = await fastify.inject({
      method: 'POST',
      url: '/posts/1/comments',
      headers: { 'x-request-id': 'r-off', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      payload: { text: 'hi' },
    });
    expect(response.json()).toEqual({ requestId: 'r-off', traceId: null });
    await fastify.close();
  });
});

describe('request hooks with tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let fastify: FastifyInstance;

  beforeAll(async () => {
    startTracing('spec', loadConfig(serviceEnv, { PORT: '1' }), logger, exporter);
    fastify = await app();
  });
  afterAll(async () => {
    await fastify.close();
    await stopTracing();
  });
  afterEach(() => exporter.reset());

  it('make a SERVER span that stays active through body parsing and the async handler', async () => {
    const response = await fastify.inject({
      method: 'POST',
      url: '/posts/1/comments',
      headers: { 'x-request-id': 'r-on', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      payload: { text: 'x'.repeat(10_000) },
    });
    expect(response.json()).toEqual({ requestId: 'r-on', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    await flushTracing();
    const [span] = exporter.getFinishedSpans();
    expect(span).toMatchObject({ name: 'POST /posts/:id/comments', kind: SpanKind.SERVER });
    expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span.attributes['http.response.status_code']).toBe(200);
  });

  it('fail the span on 5xx and leave probes untraced', async () => {
    expect((await fastify.inject({ method: 'GET', url: '/boom' })).statusCode).toBe(503);
    const probe = await fastify.inject({ method: 'GET', url: '/health/ready', headers: { 'x-request-id': 'probe' } });
    expect(probe.json()).toEqual({ requestId: 'probe', traceId: null });
    await flushTracing();
    expect(exporter.getFinishedSpans().map((span) => [span.name, span.status.code])).toEqual([['GET /boom', 2]]);
  });
});
