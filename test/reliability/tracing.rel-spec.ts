/**
 * Distributed tracing end to end, with real processes: a registration sent
 * to the gateway is one trace from the gateway's SERVER span, through its
 * CLIENT span and the users service's SERVER span, the users outbox and its
 * relay's PRODUCER span, to the CONSUMER span of comments, which applies the
 * user.registered event. The spans are exported over OTLP/HTTP to a small
 * collector inside this test process.
 *
 * Why this suite runs its own copies of gateway, users and comments, with
 * its own Kafka broker and its own database, instead of sharing the running
 * system's (which must stay untraced, and may be under a benchmark):
 *
 * - Consumer groups are the service names. A traced copy of comments on the
 *   shared broker would join the running comments' group; the partition of
 *   the new user's id could belong to the untraced member, whose span never
 *   reaches the collector. Joining would also rebalance the running group
 *   (pausing its consumption) and hand it the copy's partitions back when the
 *   copy leaves. A private broker makes the copy the group's only member.
 * - Outbox rows are published by whichever replica's relay wins the
 *   advisory lock. On the shared database the running users relay (possibly
 *   older code that does not send trace headers) could publish the copy's
 *   row. A private database gives the copy its own outbox. It also keeps the
 *   copies' inbox and projections apart from the running system's: with a
 *   private broker but the shared database, each side would mark events as
 *   processed that the other never saw.
 * - Private copies, database and broker make every assertion deterministic
 *   and leave the running system, its groups and its data untouched.
 *
 * comments runs with a 10-minute export delay: its spans can only reach the
 * collector through the flush of its graceful shutdown, which the last test
 * checks by stopping it with SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { Topics } from '@app/contracts';
import { registerBody } from '../support/api.js';
import { setting, uniqueUsername } from '../support/env.js';
import { eventually } from '../support/eventually.js';
import { send } from '../support/http.js';
import { readTopicToEnd } from '../support/kafka.js';
import { startKafkaBroker, type TestBroker } from '../support/kafka-broker.js';
import { type CollectedSpan, OtlpCollector } from '../support/otlp-collector.js';
import { freePort, startApp, type TestProcess } from '../support/processes.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';

const REGISTER_ROUTE = '/api/v1/auth/register';

/** What one traced registration left behind. */
interface Registration {
  userId: string;
  requestId: string;
  traceId: string;
  producer: CollectedSpan;
}

/** The one span matching, once it has arrived (undefined while none has; an error if several). */
function only(spans: CollectedSpan[], what: string): CollectedSpan | undefined {
  if (spans.length > 1) throw new Error(`expected one ${what}, got ${spans.length}`);
  return spans[0];
}

const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('distributed tracing: gateway → service → outbox → Kafka → consumer', () => {
  const collector = new OtlpCollector();
  let database: ScratchDatabase | undefined;
  let broker: TestBroker | undefined;
  let gateway: TestProcess | undefined;
  let users: TestProcess | undefined;
  let comments: TestProcess | undefined;
  let gatewayUrl = '';
  let usersPort = 0;
  const registrations: Registration[] = [];

  beforeAll(async () => {
    await collector.start();
    database = await createScratchDatabase('warble_tracing');
    broker = await startKafkaBroker();
    const ports = { gateway: await freePort(), users: await freePort(), comments: await freePort() };
    usersPort = ports.users;
    const common = {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      JWT_PUBLIC_KEY_FILE: setting('JWT_PUBLIC_KEY_FILE'),
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    const service = (name: string) => ({
      ...common,
      DATABASE_HOST: setting('DATABASE_HOST', '127.0.0.1'),
      DATABASE_PORT: setting('DATABASE_PORT', '5432'),
      DATABASE_NAME: database?.name ?? '',
      DATABASE_USER: `warble_${name}`,
      DATABASE_PASSWORD: setting(`${name.toUpperCase()}_DB_PASSWORD`),
      DATABASE_POOL_SIZE: '3',
      KAFKA_BROKERS: broker?.brokers ?? '',
    });
    // Started side by side; each handle is kept as soon as it exists, so afterAll can stop it whatever fails.
    const started = await Promise.allSettled([
      startApp('users', ports.users, {
        ...service('users'),
        JWT_PRIVATE_KEY_FILE: setting('JWT_PRIVATE_KEY_FILE'),
        // Login throttling counts in Redis.
        REDIS_URL: setting('REDIS_URL', 'redis://127.0.0.1:6379'),
      }).then((app) => (users = app)),
      startApp('comments', ports.comments, { ...service('comments'), POSTS_URL: 'http://127.0.0.1:9', OTEL_BSP_SCHEDULE_DELAY: '600000' }).then((app) => (comments = app)),
    ]);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    const usersUrl = `http://127.0.0.1:${ports.users}`;
    // Only users is called; the other services' URLs lead nowhere.
    const nowhere = 'http://127.0.0.1:9';
    gateway = await startApp('gateway', ports.gateway, {
      ...common,
      REDIS_URL: setting('REDIS_URL', 'redis://127.0.0.1:6379'),
      USERS_URL: usersUrl,
      POSTS_URL: nowhere,
      GRAPH_URL: nowhere,
      SEARCH_URL: nowhere,
      COMMENTS_URL: nowhere,
      RATE_LIMIT_ENABLED: 'false',
    });
    gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  });

  afterAll(async () => {
    // Gateway first, like scripts/apps.sh; every step runs even if one before it failed.
    for (const app of [gateway, users, comments]) await app?.stop('SIGTERM', 20_000).catch(() => undefined);
    await broker?.stop().catch(() => undefined);
    await database?.drop().catch(() => undefined);
    await collector.stop();
  });

  /** Registers through the gateway; returns the new user's id. */
  async function register(requestId: string, headers: Record<string, string> = {}): Promise<string> {
    const response = await send<{ id: string }>({
      baseUrl: gatewayUrl,
      method: 'POST',
      path: REGISTER_ROUTE,
      json: registerBody(uniqueUsername('trace')),
      headers: { 'x-request-id': requestId, ...headers },
    });
    expect(response.status).toBe(201);
    return response.body.id;
  }

  /** The spans of one request on its way to the outbox, once all four have arrived. */
  async function requestSpans(requestId: string) {
    return eventually(
      () => {
        const gatewayServer = only(collector.find({ service: 'warble-gateway', kind: 'server', attributes: { 'warble.request_id': requestId } }), 'gateway SERVER span');
        const usersServer = only(collector.find({ service: 'warble-users', kind: 'server', attributes: { 'warble.request_id': requestId } }), 'users SERVER span');
        if (!gatewayServer || !usersServer) return undefined;
        const gatewayClient = only(collector.find({ service: 'warble-gateway', kind: 'client', traceId: gatewayServer.traceId }), 'gateway CLIENT span');
        const producer = only(collector.find({ service: 'warble-users', kind: 'producer', parentSpanId: usersServer.spanId }), 'users PRODUCER span');
        return gatewayClient && producer ? { gatewayServer, gatewayClient, usersServer, producer } : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: `the spans of request ${requestId}` },
    );
  }

  /** Waits until comments has applied the user's user.registered (its span is still buffered in comments). */
  async function appliedByComments(userId: string): Promise<void> {
    await eventually(
      async () => ((await database?.admin.query('SELECT 1 FROM comments.user_directory WHERE id = $1', [userId]))?.rowCount ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 200, what: `comments applying user ${userId}` },
    );
  }

  it('traces a registration from the gateway through users and its outbox onto Kafka', async () => {
    const requestId = `trace-${randomHex(6)}`;
    const userId = await register(requestId);
    const { gatewayServer, gatewayClient, usersServer, producer } = await requestSpans(requestId);

    // The gateway starts the trace: no traceparent came with the request.
    expect(gatewayServer).toMatchObject({ name: `POST ${REGISTER_ROUTE}`, parentSpanId: undefined, status: 'unset' });
    expect(gatewayServer.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': REGISTER_ROUTE, 'http.response.status_code': 201 });
    // Its call to users is a CLIENT span under it...
    expect(gatewayClient).toMatchObject({ name: 'POST users', parentSpanId: gatewayServer.spanId });
    expect(gatewayClient.attributes).toMatchObject({ 'http.request.method': 'POST', 'server.port': usersPort, 'http.response.status_code': 201 });
    // ...and users continues the trace from the traceparent header it sent.
    expect(usersServer).toMatchObject({ name: 'POST /auth/register', traceId: gatewayServer.traceId, parentSpanId: gatewayClient.spanId });
    expect(usersServer.attributes).toMatchObject({ 'http.route': '/auth/register', 'http.response.status_code': 201 });
    // The relay sent the outbox row later, from another async context, still in the request's trace.
    expect(producer).toMatchObject({ name: `send ${Topics.users}`, traceId: gatewayServer.traceId });
    expect(producer.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': Topics.users,
      'messaging.kafka.message.key': userId,
      'warble.event.type': 'user.registered',
    });
    expect(producer.startTimeUnixNano).toBeGreaterThanOrEqual(usersServer.startTimeUnixNano);

    // On the wire: the producer span as traceparent, next to the correlation id.
    const [message] = await readTopicToEnd(Topics.users, (read) => read.key === userId, [broker?.brokers ?? '']);
    expect(message.headers).toMatchObject({ traceparent: `00-${producer.traceId}-${producer.spanId}-01`, 'correlation-id': requestId });

    await appliedByComments(userId);
    registrations.push({ userId, requestId, traceId: gatewayServer.traceId, producer });
  });

  it('continues a trace the client started with a traceparent header', async () => {
    const traceId = randomHex(16);
    const callerSpanId = randomHex(8);
    const requestId = `trace-${randomHex(6)}`;
    const userId = await register(requestId, { traceparent: `00-${traceId}-${callerSpanId}-01`, tracestate: 'client=1' });
    const { gatewayServer, gatewayClient, usersServer, producer } = await requestSpans(requestId);

    expect(gatewayServer).toMatchObject({ traceId, parentSpanId: callerSpanId });
    for (const span of [gatewayClient, usersServer, producer]) expect(span.traceId).toBe(traceId);

    await appliedByComments(userId);
    registrations.push({ userId, requestId, traceId, producer });
  });

  it('writes the trace and span id into the log lines of a traced request', () => {
    expect(registrations).toHaveLength(2);
    const { requestId, traceId } = registrations[1];
    for (const [app, service] of [[gateway, 'warble-gateway'], [users, 'warble-users']] as const) {
      const server = only(collector.find({ service, kind: 'server', attributes: { 'warble.request_id': requestId } }), 'SERVER span');
      const accessLog = app?.jsonLines().find((line) => line.msg === 'request' && line.requestId === requestId);
      expect(accessLog).toMatchObject({ traceId, spanId: server?.spanId });
    }
  });

  it('exports the CONSUMER spans, children of the producer spans, when comments stops on SIGTERM', async () => {
    expect(registrations).toHaveLength(2);
    // comments buffers its spans for ten minutes: none has left it yet.
    expect(collector.find({ service: 'warble-comments' })).toEqual([]);

    const exit = await comments?.stop('SIGTERM', 20_000);
    // Nest closes the app, then re-raises SIGTERM on itself: a graceful stop, not the SIGKILL fallback.
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });

    // The flush finished before the process exited: no waiting here.
    for (const { userId, traceId, producer } of registrations) {
      const consumer = only(collector.find({ service: 'warble-comments', kind: 'consumer', attributes: { 'messaging.kafka.message.key': userId } }), 'comments CONSUMER span');
      expect(consumer).toMatchObject({ name: `process ${Topics.users}`, traceId, parentSpanId: producer.spanId, status: 'unset' });
      expect(consumer?.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.destination.name': Topics.users,
        'messaging.consumer.group.name': 'comments',
        'messaging.kafka.offset': expect.any(Number),
        'warble.event.type': 'user.registered',
        'warble.inbox.outcome': 'applied',
      });
    }
    expect(collector.rejected).toEqual([]);
  });
});
