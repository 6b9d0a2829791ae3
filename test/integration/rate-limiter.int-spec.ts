/**
 * Rate limiting against the real Redis: the insured limiter both apps build
 * on (counters shared by replicas, in-process insurance while Redis is
 * unreachable), the gateway's guard in a Nest app wired like the gateway
 * (AuthGuard first; X-RateLimit-* headers, 429 problems with Retry-After),
 * and the users service's login throttle (per account, per IP, growing blocks).
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Post } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  AuthModule,
  type Caller,
  ConfigModule,
  consumeOne,
  createLogger,
  createValidationPipe,
  CurrentCaller,
  insuredLimiter,
  installRequestHooks,
  loadConfig,
  LoggingModule,
  OptionalAuth,
  ProblemDetailsFilter,
  Public,
  REDIS,
  RedisModule,
  Refusal,
} from '@app/platform';
import { Redis } from 'ioredis';
/* eslint-disable no-restricted-imports -- the apps' own code under test, not an app importing another */
import { gatewayConfigSchema } from '../../apps/gateway/src/config/gateway.config.js';
import { EdgeModule } from '../../apps/gateway/src/edge/edge.module.js';
import type { UsersConfig } from '../../apps/users/src/config/users.config.js';
import { LoginThrottle, LoginThrottled } from '../../apps/users/src/services/login-throttle.js';
/* eslint-enable no-restricted-imports */
import { setting } from '../support/env.js';
import { freePort } from '../support/processes.js';
import { signToken } from '../support/tokens.js';

const prefix = `it:ratelimit:${randomBytes(4).toString('hex')}:`;
const redisUrl = setting('REDIS_URL');

/** A client for a port nobody listens on: Redis "down" without touching the machine's Redis. */
async function unreachableRedis(): Promise<Redis> {
  const client = new Redis(`redis://127.0.0.1:${await freePort()}`, { maxRetriesPerRequest: 1, connectTimeout: 500, retryStrategy: () => 1_000 });
  client.on('error', () => undefined);
  return client;
}

async function deleteKeys(redis: Redis): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
}

describe('insuredLimiter (real Redis)', () => {
  let redis: Redis;
  let other: Redis;

  beforeAll(async () => {
    redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    other = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    await Promise.all([redis.ping(), other.ping()]);
  });

  afterAll(async () => {
    await deleteKeys(redis);
    await Promise.all([redis.quit(), other.quit()]);
  });

  it('shares one counter between two limiters on two connections (two replicas)', async () => {
    const options = { keyPrefix: `${prefix}shared`, points: 3, durationSeconds: 30, timeoutMs: 300 };
    const [a, b] = [insuredLimiter(redis, options), insuredLimiter(other, options)];
    const outcomes = [await consumeOne(a, 'k'), await consumeOne(b, 'k'), await consumeOne(a, 'k'), await consumeOne(b, 'k')];
    expect(outcomes.map((outcome) => outcome instanceof Refusal)).toEqual([false, false, false, true]);
    expect(await redis.get(`${prefix}shared:k`)).toBe('4');
    const refused = outcomes[3] as Refusal;
    expect(refused.result.msBeforeNext).toBeGreaterThan(28_000);
    expect(refused.result.msBeforeNext).toBeLessThanOrEqual(30_000);
  });

  it('is atomic: of 200 concurrent hits exactly the budget passes', async () => {
    const limiter = insuredLimiter(redis, { keyPrefix: `${prefix}burst`, points: 50, durationSeconds: 30, timeoutMs: 300 });
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => consumeOne(limiter, 'k')));
    expect(outcomes.filter((outcome) => !(outcome instanceof Refusal))).toHaveLength(50);
  });

  it('remembers a refused key in process memory, so a flood costs Redis nothing more', async () => {
    const limiter = insuredLimiter(redis, { keyPrefix: `${prefix}flood`, points: 2, durationSeconds: 30, blockRefusedInMemory: true, timeoutMs: 300 });
    for (let i = 0; i < 3; i++) await consumeOne(limiter, 'k');
    for (let i = 0; i < 20; i++) expect(await consumeOne(limiter, 'k')).toBeInstanceOf(Refusal);
    expect(await redis.get(`${prefix}flood:k`)).toBe('3');
  });

  it('keeps counting in process memory, without waiting, while Redis is unreachable', async () => {
    const down = await unreachableRedis();
    const limiter = insuredLimiter(down, { keyPrefix: `${prefix}down`, points: 3, durationSeconds: 30, timeoutMs: 300 });
    const started = Date.now();
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await consumeOne(limiter, 'k'));
    expect(outcomes.map((outcome) => outcome instanceof Refusal)).toEqual([false, false, false, true, true]);
    expect(Date.now() - started).toBeLessThan(200);
    expect(await consumeOne(limiter, 'another')).not.toBeInstanceOf(Refusal);
    down.disconnect();
  });

  it('counts in process memory when Redis is connected but does not answer within timeoutMs (a master failing over)', async () => {
    const limiter = insuredLimiter(redis, { keyPrefix: `${prefix}slow`, points: 2, durationSeconds: 30, timeoutMs: 100 });
    // Writes (the limiter's script) wait while paused; the connection stays ready.
    await other.call('CLIENT', 'PAUSE', '1500', 'WRITE');
    try {
      const started = Date.now();
      const outcomes = [await consumeOne(limiter, 'k'), await consumeOne(limiter, 'k'), await consumeOne(limiter, 'k')];
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(outcomes.map((outcome) => outcome instanceof Refusal)).toEqual([false, false, true]);
    } finally {
      await other.call('CLIENT', 'UNPAUSE');
    }
  });
});

@Controller('api/v1')
class ProbeController {
  @Public()
  @Post('auth/login')
  login() {
    return { ok: true };
  }

  @Post('things')
  create(@CurrentCaller() caller: Caller) {
    return { by: caller.id };
  }

  @OptionalAuth()
  @Get('things')
  list() {
    return { items: [] };
  }

  @OptionalAuth()
  @Get('search/things')
  search() {
    return { items: [] };
  }
}

@Controller('health')
class HealthProbe {
  @Public()
  @Get('live')
  live() {
    return { status: 'ok' };
  }
}

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: Record<string, unknown> };

const BUDGETS = { RATE_LIMIT_AUTH_PER_IP: 3, RATE_LIMIT_WRITES_PER_USER: 2, RATE_LIMIT_API_PER_USER: 6, RATE_LIMIT_API_PER_IP: 5, RATE_LIMIT_SEARCH_PER_USER: 4, RATE_LIMIT_SEARCH_PER_IP: 2 };

/** A gateway-like app (AuthModule before EdgeModule, as in the gateway) on a random port. */
async function gatewayLike(redis: string): Promise<{ app: NestFastifyApplication; call: (method: 'GET' | 'POST', path: string, ip: string, token?: string) => Promise<Answer> }> {
  const config = loadConfig(gatewayConfigSchema, {
    PORT: '3999',
    REDIS_URL: redis,
    JWT_PUBLIC_KEY_FILE: setting('JWT_PUBLIC_KEY_FILE', '.run/keys/jwt-public.pem'),
    ...Object.fromEntries(['USERS', 'POSTS', 'GRAPH', 'SEARCH', 'COMMENTS'].map((name) => [`${name}_URL`, 'http://127.0.0.1:9'])),
    ...Object.fromEntries(Object.entries(BUDGETS).map(([name, value]) => [name, String(value)])),
    RATE_LIMIT_WINDOW_SECONDS: '60',
    RATE_LIMIT_KEY_PREFIX: prefix,
  });
  const logger = createLogger('gateway-it', 'silent');
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forValue('gateway', config), LoggingModule.forLogger(logger), AuthModule, RedisModule, EdgeModule],
    controllers: [ProbeController, HealthProbe],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
  installRequestHooks(app.getHttpAdapter().getInstance(), logger);
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  app.useGlobalPipes(createValidationPipe());
  // Listening on all of 127.0.0.0/8 lets each test client come from its own loopback address.
  await app.listen({ port: 0, host: '0.0.0.0' });
  const port = (app.getHttpServer().address() as AddressInfo).port;
  // Until its connection is ready the limiter counts in memory: wait for it when Redis is there.
  if (redis === redisUrl) await app.get<Redis>(REDIS).ping();
  const call = (method: 'GET' | 'POST', path: string, ip: string, token?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    return new Promise<Answer>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers, localAddress: ip, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> }));
      });
      req.on('error', reject);
      req.end(method === 'POST' ? '{}' : undefined);
    });
  };
  return { app, call };
}

/** A fresh loopback address per call, so tests never share a per-IP counter. */
let nextHost = 1;
const freshIp = () => `127.0.${40 + Math.floor(nextHost / 250)}.${(nextHost++ % 250) + 1}`;

describe('RateLimitGuard in a gateway-like app (real Redis)', () => {
  let app: NestFastifyApplication;
  let call: Awaited<ReturnType<typeof gatewayLike>>['call'];
  const alice = { id: '7000000000000001', username: 'alice' };
  const bob = { id: '7000000000000002', username: 'bob' };
  let tokens: Record<'alice' | 'bob', string>;

  beforeAll(async () => {
    ({ app, call } = await gatewayLike(redisUrl));
    tokens = { alice: await signToken(alice), bob: await signToken(bob) };
  });

  afterAll(async () => {
    const redis = new Redis(redisUrl);
    await deleteKeys(redis);
    await redis.quit();
    await app.close();
  });

  it('limits /auth/* per client IP with a 429 problem, Retry-After and the X-RateLimit-* headers', async () => {
    const ip = freshIp();
    const answers: Answer[] = [];
    for (let i = 0; i <= BUDGETS.RATE_LIMIT_AUTH_PER_IP; i++) answers.push(await call('POST', '/api/v1/auth/login', ip));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 429]);
    expect(answers.map((answer) => answer.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
    expect(answers.every((answer) => answer.headers['x-ratelimit-limit'] === '3')).toBe(true);

    const refused = answers[3];
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Reset is the end of the window in epoch seconds: now + Retry-After.
    const reset = Number(refused.headers['x-ratelimit-reset']);
    expect(Math.abs(reset - (Math.ceil(Date.now() / 1000) + retryAfter))).toBeLessThanOrEqual(2);
    expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', title: expect.any(String), detail: expect.any(String), requestId: refused.headers['x-request-id'] });

    expect((await call('POST', '/api/v1/auth/login', freshIp())).status).toBe(201);
  });

  it('limits writes per verified user, whatever the IP, within the user’s API budget', async () => {
    expect((await call('POST', '/api/v1/things', freshIp(), tokens.alice)).body).toEqual({ by: alice.id });
    const second = await call('POST', '/api/v1/things', freshIp(), tokens.alice);
    expect(second.status).toBe(201);
    // The writes budget has fewer left than the API budget, so it is the one reported.
    expect(second.headers).toMatchObject({ 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0' });
    const refused = await call('POST', '/api/v1/things', freshIp(), tokens.alice);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect((await call('POST', '/api/v1/things', freshIp(), tokens.bob)).status).toBe(201);
  });

  it('limits reads per user across addresses, and anonymous reads per IP', async () => {
    const carol = await signToken({ id: '7000000000000004', username: 'carol' });
    const statuses = [];
    for (let i = 0; i <= BUDGETS.RATE_LIMIT_API_PER_USER; i++) statuses.push((await call('GET', '/api/v1/things', freshIp(), carol)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);

    const ip = freshIp();
    const anonymous = [];
    for (let i = 0; i <= BUDGETS.RATE_LIMIT_API_PER_IP; i++) anonymous.push(await call('GET', '/api/v1/things', ip));
    expect(anonymous.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(anonymous[0].headers).toMatchObject({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4' });
    expect((await call('GET', '/api/v1/things', freshIp())).status).toBe(200);
  });

  it('gives search its own, lower budget, reported on search answers', async () => {
    const ip = freshIp();
    const answers = [];
    for (let i = 0; i <= BUDGETS.RATE_LIMIT_SEARCH_PER_IP; i++) answers.push(await call('GET', '/api/v1/search/things', ip));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429]);
    expect(answers[0].headers).toMatchObject({ 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '1' });
    // The address still has most of its API budget for other reads.
    const other = await call('GET', '/api/v1/things', ip);
    expect(other.status).toBe(200);
    expect(other.headers['x-ratelimit-limit']).toBe('5');
  });

  it('does not limit health routes, nor add the headers to them', async () => {
    const ip = freshIp();
    for (let i = 0; i < 12; i++) {
      const answer = await call('GET', '/health/live', ip);
      expect(answer.status).toBe(200);
      expect(answer.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });

  it('counts in the shared Redis', async () => {
    const ip = freshIp();
    await call('GET', '/api/v1/things', ip);
    const redis = new Redis(redisUrl);
    expect(await redis.get(`${prefix}api-ip:${ip}`)).toBe('1');
    await redis.quit();
  });

  it('authenticates before counting: a write without a valid token is a 401 and costs nothing', async () => {
    const dave = { id: '7000000000000003', username: 'dave' };
    const expired = await signToken(dave, { expiresIn: -10 });
    for (let i = 0; i < 4; i++) expect((await call('POST', '/api/v1/things', freshIp(), expired)).status).toBe(401);
    const redis = new Redis(redisUrl);
    expect(await redis.keys(`${prefix}*${dave.id}`)).toEqual([]);
    await redis.quit();
  });
});

describe('RateLimitGuard with Redis unreachable', () => {
  let app: NestFastifyApplication;
  let call: Awaited<ReturnType<typeof gatewayLike>>['call'];

  beforeAll(async () => {
    ({ app, call } = await gatewayLike(`redis://127.0.0.1:${await freePort()}`));
  });

  afterAll(async () => {
    await app.close();
  });

  it('still limits /auth/* per IP, from process memory (fail-safe, not fail-open)', async () => {
    const ip = freshIp();
    const answers: Answer[] = [];
    for (let i = 0; i <= BUDGETS.RATE_LIMIT_AUTH_PER_IP; i++) answers.push(await call('POST', '/api/v1/auth/login', ip));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 429]);
    expect(Number(answers[3].headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(answers[0].headers['x-ratelimit-remaining']).toBe('2');
  });
});

describe('LoginThrottle (real Redis)', () => {
  const settings = {
    RATE_LIMIT_ENABLED: true,
    RATE_LIMIT_KEY_PREFIX: prefix,
    LOGIN_FAILS_PER_ACCOUNT: 3,
    LOGIN_FAIL_WINDOW_SECONDS: 900,
    LOGIN_BLOCK_SECONDS: 900,
    LOGIN_BLOCK_MAX_SECONDS: 86_400,
    LOGIN_FAILS_PER_IP: 5,
    LOGIN_IP_WINDOW_SECONDS: 3_600,
    REDIS_REQUEST_TIMEOUT_MS: 300,
  } as UsersConfig;
  let redis: Redis;
  let throttle: LoginThrottle;

  beforeAll(async () => {
    redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    // Until its connection is ready a limiter counts in memory, not in the shared Redis.
    await redis.ping();
    throttle = new LoginThrottle(redis, settings);
  });

  afterAll(async () => {
    await deleteKeys(redis);
    await redis.quit();
  });

  /** Admits, or answers the Retry-After of the refusal. */
  const attempt = (throttler: LoginThrottle, key: string, ip: string) =>
    throttler.admit(key, ip).then(
      () => 'admitted' as const,
      (error: unknown) => {
        if (error instanceof LoginThrottled) return error.retryAfterSeconds;
        throw error;
      },
    );

  it('blocks an account after its failures, from any address, and doubles the next block', async () => {
    const key = `id:${randomBytes(4).toString('hex')}`;
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await attempt(throttle, key, freshIp()));
    expect(outcomes).toEqual(['admitted', 'admitted', 'admitted', 900]);
    // A second replica (another connection) sees the same block.
    const replicaRedis = new Redis(redisUrl);
    // Until its connection is ready a limiter counts in memory, not in the shared Redis.
    await replicaRedis.ping();
    const later = await attempt(new LoginThrottle(replicaRedis, settings), key, freshIp());
    await replicaRedis.quit();
    expect(later).toBeGreaterThan(890);
    expect(later).toBeLessThanOrEqual(900);

    // As if the 15 minutes had passed: the block's key ends; the block count stays.
    await redis.del(`${prefix}login:account:${key}`);
    const second = [];
    for (let i = 0; i < 4; i++) second.push(await attempt(throttle, key, freshIp()));
    expect(second).toEqual(['admitted', 'admitted', 'admitted', 1800]);
  });

  it('forgets an account’s failures after a success', async () => {
    const key = `id:${randomBytes(4).toString('hex')}`;
    const ip = freshIp();
    await throttle.admit(key, ip);
    await throttle.admit(key, ip);
    await throttle.succeeded(await throttle.admit(key, ip));
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await attempt(throttle, key, freshIp()));
    expect(outcomes.slice(0, 3)).toEqual(['admitted', 'admitted', 'admitted']);
    expect(typeof outcomes[3]).toBe('number');
  });

  it('limits one address across accounts, leaving other addresses alone', async () => {
    const ip = freshIp();
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(await attempt(throttle, `login:stuffed-${i}-${randomBytes(3).toString('hex')}`, ip));
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('admitted'));
    expect(outcomes[5]).toBeGreaterThan(3_500);
    expect(await attempt(throttle, `login:fresh-${randomBytes(3).toString('hex')}`, freshIp())).toBe('admitted');
  });

  it('does not charge an address for attempts on a blocked account', async () => {
    const key = `id:${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 4; i++) await attempt(throttle, key, freshIp());
    const ip = freshIp();
    for (let i = 0; i < 10; i++) expect(typeof (await attempt(throttle, key, ip))).toBe('number');
    expect(await attempt(throttle, `login:other-${randomBytes(3).toString('hex')}`, ip)).toBe('admitted');
  });

  it('keeps throttling from process memory while Redis is unreachable', async () => {
    const down = await unreachableRedis();
    const offline = new LoginThrottle(down, settings);
    const key = 'login:nobody@example.com';
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await attempt(offline, key, freshIp()));
    expect(outcomes.slice(0, 3)).toEqual(['admitted', 'admitted', 'admitted']);
    expect(outcomes[3]).toBe(900);
    expect(outcomes[4]).toBeGreaterThan(890);
    down.disconnect();
  });
});
