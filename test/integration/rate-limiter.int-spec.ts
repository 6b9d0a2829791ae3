/**
 * The gateway's rate limiting against the real Redis: the counter itself
 * (atomic fixed window, Retry-After, fail-open) and the guard in a Nest app
 * wired like the gateway (AuthGuard first), answering 429 problems.
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
  createLogger,
  createValidationPipe,
  CurrentCaller,
  installRequestHooks,
  loadConfig,
  LoggingModule,
  ProblemDetailsFilter,
  Public,
  REDIS,
  RedisModule,
} from '@app/platform';
import { Redis } from 'ioredis';
/* eslint-disable no-restricted-imports -- this is the gateway's own code under test, not an app importing another */
import { gatewayConfigSchema } from '../../apps/gateway/src/config/gateway.config.js';
import { EdgeModule } from '../../apps/gateway/src/edge/edge.module.js';
import { RedisRateLimiter } from '../../apps/gateway/src/edge/rate-limiter.js';
/* eslint-enable no-restricted-imports */
import { setting } from '../support/env.js';
import { eventually } from '../support/eventually.js';
import { signToken } from '../support/tokens.js';

const prefix = `it:ratelimit:${randomBytes(4).toString('hex')}:`;
const redisUrl = setting('REDIS_URL');

describe('RedisRateLimiter (real Redis)', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    await redis.ping();
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  const limiter = (windowMs = 30_000, onDegraded?: (error: unknown) => void) => new RedisRateLimiter(redis, { prefix, windowMs, onDegraded });

  it('allows `limit` hits per window, then refuses with the seconds left in the window', async () => {
    const subject = limiter(30_000);
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await subject.hit('count', 3));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false]);
    expect(verdicts.map((v) => v.remaining)).toEqual([2, 1, 0, 0]);
    expect(verdicts[3].retryAfterSeconds).toBeGreaterThanOrEqual(29);
    expect(verdicts[3].retryAfterSeconds).toBeLessThanOrEqual(30);
    expect(await redis.pttl(`${prefix}count`)).toBeGreaterThan(28_000);
  });

  it('counts each key on its own', async () => {
    const subject = limiter();
    expect((await subject.hit('a', 1)).allowed).toBe(true);
    expect((await subject.hit('a', 1)).allowed).toBe(false);
    expect((await subject.hit('b', 1)).allowed).toBe(true);
  });

  it('starts a fresh window once the old one expires', async () => {
    const subject = limiter(300);
    expect((await subject.hit('expiry', 1)).allowed).toBe(true);
    const refused = await subject.hit('expiry', 1);
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    await eventually(async () => ((await redis.exists(`${prefix}expiry`)) === 0 ? true : undefined), { what: 'window expiry', intervalMs: 50 });
    expect(await subject.hit('expiry', 1)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('is atomic: of 200 concurrent hits exactly the limit pass', async () => {
    const subject = limiter();
    const verdicts = await Promise.all(Array.from({ length: 200 }, () => subject.hit('burst', 50)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(50);
    expect(await redis.get(`${prefix}burst`)).toBe('200');
  });

  it('gives a counter that lost its expiry a new one instead of refusing forever', async () => {
    await redis.set(`${prefix}stuck`, '99');
    const verdict = await limiter(10_000).hit('stuck', 5);
    expect(verdict).toMatchObject({ allowed: false, retryAfterSeconds: 10 });
    expect(await redis.pttl(`${prefix}stuck`)).toBeGreaterThan(0);
  });

  it('fails open, and says so once, when Redis answers with an error', async () => {
    await redis.set(`${prefix}garbage`, 'not a number');
    const degraded: unknown[] = [];
    const subject = limiter(30_000, (error) => degraded.push(error));
    expect(await subject.hit('garbage', 1)).toMatchObject({ allowed: true });
    expect(await subject.hit('garbage', 1)).toMatchObject({ allowed: true });
    expect(degraded).toHaveLength(1);
  });

  it('fails open at once, without waiting, when Redis is unreachable', async () => {
    const unreachable = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    const degraded: unknown[] = [];
    const subject = new RedisRateLimiter(unreachable, { prefix, windowMs: 1000, onDegraded: (error) => degraded.push(error) });
    const started = Date.now();
    expect(await subject.hit('down', 1)).toMatchObject({ allowed: true });
    expect(await subject.hit('down', 1)).toMatchObject({ allowed: true });
    expect(Date.now() - started).toBeLessThan(100);
    expect(degraded).toHaveLength(1);
    unreachable.disconnect();
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

  @Get('things')
  list() {
    return { items: [] };
  }
}

describe('RateLimitGuard in a gateway-like app (real Redis)', () => {
  const AUTH_LIMIT = 3;
  const WRITE_LIMIT = 2;
  let app: NestFastifyApplication;
  let port: number;
  const alice = { id: '7000000000000001', username: 'alice' };
  const bob = { id: '7000000000000002', username: 'bob' };
  let tokens: Record<'alice' | 'bob', string>;

  beforeAll(async () => {
    const config = loadConfig(gatewayConfigSchema, {
      PORT: '3999',
      REDIS_URL: redisUrl,
      JWT_PUBLIC_KEY_FILE: setting('JWT_PUBLIC_KEY_FILE', '.run/keys/jwt-public.pem'),
      ...Object.fromEntries(['USERS', 'POSTS', 'GRAPH', 'SEARCH', 'COMMENTS'].map((name) => [`${name}_URL`, 'http://127.0.0.1:9'])),
      RATE_LIMIT_AUTH_PER_IP: String(AUTH_LIMIT),
      RATE_LIMIT_WRITES_PER_USER: String(WRITE_LIMIT),
    });
    const logger = createLogger('gateway-it', 'silent');
    const moduleRef = await Test.createTestingModule({
      // As in the gateway: AuthModule (AppHostModule) before EdgeModule (GatewayModule).
      imports: [ConfigModule.forValue('gateway', config), LoggingModule.forLogger(logger), AuthModule, RedisModule, EdgeModule],
      controllers: [ProbeController],
    })
      .overrideProvider(RedisRateLimiter)
      .useFactory({ factory: (redis: Redis) => new RedisRateLimiter(redis, { prefix, windowMs: 60_000 }), inject: [REDIS] })
      .compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    installRequestHooks(app.getHttpAdapter().getInstance(), logger);
    app.useGlobalFilters(new ProblemDetailsFilter(logger));
    app.useGlobalPipes(createValidationPipe());
    // Listening on all of 127.0.0.0/8 lets each test client come from its own loopback address.
    await app.listen({ port: 0, host: '0.0.0.0' });
    port = (app.getHttpServer().address() as AddressInfo).port;
    tokens = { alice: await signToken(alice), bob: await signToken(bob) };
  });

  afterAll(async () => {
    const redis = app.get<Redis>(REDIS);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await app.close();
  });

  /** A request from the given client IP (a loopback address). */
  function call(method: 'GET' | 'POST', path: string, ip: string, token?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Record<string, unknown> }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers, localAddress: ip, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> }));
      });
      req.on('error', reject);
      req.end(method === 'POST' ? '{}' : undefined);
    });
  }
  const login = (ip: string) => call('POST', '/api/v1/auth/login', ip);
  const write = (who: 'alice' | 'bob', ip: string) => call('POST', '/api/v1/things', ip, tokens[who]);

  it('limits /auth/* per client IP with a 429 problem and Retry-After', async () => {
    const statuses = [];
    for (let i = 0; i <= AUTH_LIMIT; i++) statuses.push((await login('127.0.10.1')).status);
    expect(statuses).toEqual([201, 201, 201, 429]);

    const refused = await login('127.0.10.1');
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', title: expect.any(String), detail: expect.any(String), requestId: refused.headers['x-request-id'] });

    expect((await login('127.0.10.2')).status).toBe(201);
  });

  it('limits writes per verified user, whatever the IP, and leaves reads alone', async () => {
    expect((await write('alice', '127.0.20.1')).body).toEqual({ by: alice.id });
    expect((await write('alice', '127.0.20.2')).status).toBe(201);
    const refused = await write('alice', '127.0.20.3');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);

    expect((await write('bob', '127.0.20.1')).status).toBe(201);
    for (let i = 0; i < WRITE_LIMIT + 2; i++) {
      expect((await call('GET', '/api/v1/things', '127.0.20.1', tokens.alice)).status).toBe(200);
    }
  });

  it('authenticates before counting: a write without a valid token is a 401 and costs nothing', async () => {
    const carol = { id: '7000000000000003', username: 'carol' };
    const expired = await signToken(carol, { expiresIn: -10 });
    for (let i = 0; i < WRITE_LIMIT + 1; i++) {
      expect((await call('POST', '/api/v1/things', '127.0.30.1', expired)).status).toBe(401);
    }
    expect(await app.get<Redis>(REDIS).exists(`${prefix}writes:user:${carol.id}`)).toBe(0);
  });
});
