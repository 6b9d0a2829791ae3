/**
 * The limits with the production defaults of .env.example (not the test
 * profile, which raises them for the other suites): this suite starts its own
 * users and gateway on free ports, against the running posts, graph, search
 * and comments and the machine's Postgres, Kafka and Redis, and sends its
 * requests from random loopback addresses.
 *
 * Its limiter keys live under a per-run prefix (RATE_LIMIT_KEY_PREFIX) and
 * are deleted at the end, so nothing it counts reaches the running system or
 * a later run. A second users/gateway pair runs with REDIS_URL pointing at a
 * closed port: the machine's Redis is never stopped.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { registerBody } from '../support/api.js';
import { setting, uniqueUsername } from '../support/env.js';
import { type Answer, productionSettings, randomLoopback, SourceAddresses, startLiveApp } from '../support/limits.js';
import { freePort, startApp, type TestProcess } from '../support/processes.js';

const production = productionSettings();
const LIMIT_SETTINGS = Object.fromEntries(Object.entries(production).filter(([name]) => name.startsWith('RATE_LIMIT_') || name.startsWith('LOGIN_')));
const FAILS_PER_ACCOUNT = Number(production.LOGIN_FAILS_PER_ACCOUNT);
const FIRST_BLOCK = Number(production.LOGIN_BLOCK_SECONDS);
const FAILS_PER_IP = Number(production.LOGIN_FAILS_PER_IP);
const API_PER_USER = Number(production.RATE_LIMIT_API_PER_USER);
const SEARCH_PER_USER = Number(production.RATE_LIMIT_SEARCH_PER_USER);
const SEARCH_PER_IP = Number(production.RATE_LIMIT_SEARCH_PER_IP);
const WINDOW = Number(production.RATE_LIMIT_WINDOW_SECONDS);
const LOGIN = '/api/v1/auth/login';
const WRONG = 'not the password at all';

const keyPrefix = `e2e:limits:${randomBytes(4).toString('hex')}:`;

interface Pair {
  users: TestProcess;
  gateway: TestProcess;
  client: SourceAddresses;
}

/** users + gateway with the production limits; `redisUrl` is the machine's Redis or a closed port. */
async function startPair(redisUrl: string, started: TestProcess[]): Promise<Pair> {
  const [usersPort, gatewayPort] = [await freePort(), await freePort()];
  const common = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    JWT_PUBLIC_KEY_FILE: setting('JWT_PUBLIC_KEY_FILE'),
    REDIS_URL: redisUrl,
    ...LIMIT_SETTINGS,
    RATE_LIMIT_KEY_PREFIX: keyPrefix,
  };
  const users = await (redisUrl === setting('REDIS_URL') ? startApp : startLiveApp)('users', usersPort, {
    ...common,
    // As scripts/apps.sh gives it: USERS_TRUST_PROXY of .env.example (the gateway's address).
    TRUST_PROXY: production.USERS_TRUST_PROXY,
    DATABASE_HOST: setting('DATABASE_HOST'),
    DATABASE_PORT: setting('DATABASE_PORT', '5432'),
    DATABASE_NAME: setting('DATABASE_NAME'),
    DATABASE_USER: 'warble_users',
    DATABASE_PASSWORD: setting('USERS_DB_PASSWORD'),
    DATABASE_POOL_SIZE: '3',
    DATABASE_MIGRATIONS_RUN: 'false',
    KAFKA_BROKERS: setting('KAFKA_BROKERS'),
    JWT_PRIVATE_KEY_FILE: setting('JWT_PRIVATE_KEY_FILE'),
  });
  started.push(users);
  // Without Redis the gateway is live but not ready (its readiness checks Redis).
  const gateway = await startLiveApp('gateway', gatewayPort, {
    ...common,
    TRUST_PROXY: production.TRUST_PROXY,
    USERS_URL: `http://127.0.0.1:${usersPort}`,
    POSTS_URL: setting('POSTS_URL'),
    GRAPH_URL: setting('GRAPH_URL'),
    SEARCH_URL: setting('SEARCH_URL'),
    COMMENTS_URL: setting('COMMENTS_URL'),
  });
  started.push(gateway);
  return { users, gateway, client: new SourceAddresses(`http://127.0.0.1:${gatewayPort}`) };
}

interface Credentials {
  id: string;
  username: string;
  email: string;
  password: string;
}

/** Registers an account through `pair`'s gateway, from its own address. */
async function register(pair: Pair, prefix: string): Promise<Credentials> {
  const body = registerBody(uniqueUsername(prefix));
  const created = await pair.client.call<{ id: string }>(randomLoopback(), 'POST', '/api/v1/auth/register', { body });
  if (created.status !== 201) throw new Error(`register failed: ${created.status} ${JSON.stringify(created.body)}`);
  return { id: created.body.id, ...body };
}

async function logIn(pair: Pair, from: string, login: string, password: string): Promise<Answer<{ accessToken?: string; code?: string }>> {
  return pair.client.call(from, 'POST', LOGIN, { body: { login, password } });
}

/** Seconds of Retry-After of a 429, checked to be a positive whole number. */
function retryAfter(answer: Answer<unknown>): number {
  expect(answer.status).toBe(429);
  expect(answer.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  return Number(answer.headers['retry-after']);
}

/** `count` requests, `concurrency` at a time; the answers in order. */
async function flood<T>(count: number, concurrency: number, send: (index: number) => Promise<T>): Promise<T[]> {
  const answers: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        answers[index] = await send(index);
      }
    }),
  );
  return answers;
}

describe('limits with the production defaults', () => {
  const started: TestProcess[] = [];
  let pair: Pair;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(setting('REDIS_URL'));
    pair = await startPair(setting('REDIS_URL'), started);
  });

  afterAll(async () => {
    await pair?.client.close();
    // Gateways first, like scripts/apps.sh.
    for (const app of [...started].reverse()) await app.stop('SIGTERM', 20_000).catch(() => undefined);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('runs with the values of .env.example, which stay inside OWASP ASVS', () => {
    expect(FAILS_PER_ACCOUNT).toBe(10);
    expect(FIRST_BLOCK).toBe(900);
    // Four windows of FAILS_PER_ACCOUNT an hour at most, even with no block ever starting.
    expect((3600 / Number(production.LOGIN_FAIL_WINDOW_SECONDS)) * FAILS_PER_ACCOUNT).toBeLessThanOrEqual(100);
  });

  it('throttles guessing on one account from a second address, by e-mail in another letter case, while another account logs in', async () => {
    const [alice, bob] = await Promise.all([register(pair, 'lim_alice'), register(pair, 'lim_bob')]);
    const [first, second] = [randomLoopback(), randomLoopback()];
    for (let i = 0; i < FAILS_PER_ACCOUNT; i++) {
      const answer = await logIn(pair, first, alice.username, WRONG);
      expect(answer.status).toBe(401);
    }
    const byEmail = await logIn(pair, second, alice.email.toUpperCase(), WRONG);
    expect(byEmail.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(byEmail.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(retryAfter(byEmail)).toBe(FIRST_BLOCK);
    // Refused before the password is looked at: the right one does not get in either.
    const rightPassword = await logIn(pair, second, alice.username.toUpperCase(), alice.password);
    expect(retryAfter(rightPassword)).toBeLessThanOrEqual(FIRST_BLOCK);
    // The same address, another account: not affected.
    const other = await logIn(pair, second, bob.email, bob.password);
    expect(other.status).toBe(200);
    expect(other.body.accessToken).toEqual(expect.any(String));
  });

  it('throttles an unknown login exactly like an account, whatever its letter case', async () => {
    const nobody = `${uniqueUsername('nobody')}@Example.com`;
    const statuses = [];
    for (let i = 0; i < FAILS_PER_ACCOUNT; i++) statuses.push((await logIn(pair, randomLoopback(), i % 2 ? nobody.toLowerCase() : nobody.toUpperCase(), WRONG)).status);
    expect(statuses).toEqual(Array(FAILS_PER_ACCOUNT).fill(401));
    expect(retryAfter(await logIn(pair, randomLoopback(), nobody, WRONG))).toBe(FIRST_BLOCK);
  });

  it('lets exactly the budget of concurrent guesses from many addresses reach the password check', async () => {
    const eve = await register(pair, 'lim_eve');
    const addresses = Array.from({ length: 10 }, randomLoopback);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => logIn(pair, addresses[i % addresses.length], eve.username, WRONG)));
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(FAILS_PER_ACCOUNT);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(40 - FAILS_PER_ACCOUNT);
  });

  it('lets no account take more than 100 failed logins an hour from any mix of addresses; each block is longer', async () => {
    const dave = await register(pair, 'lim_dave');
    const addresses = Array.from({ length: 12 }, randomLoopback);
    const blockKey = `${keyPrefix}login:account:id:${dave.id}`;
    // The hour is simulated: when a block starts, its key is ended at once, as if its Retry-After had passed.
    let elapsed = 0;
    let failuresThisHour = 0;
    let failuresThisBlock = 0;
    const failuresPerBlock: number[] = [];
    const blocks: number[] = [];
    for (let attempt = 0; elapsed < 3600 && attempt < 500; attempt++) {
      const answer = await logIn(pair, addresses[attempt % addresses.length], attempt % 2 ? dave.username : dave.email.toUpperCase(), WRONG);
      if (answer.status === 401) {
        failuresThisHour++;
        failuresThisBlock++;
        continue;
      }
      const seconds = retryAfter(answer);
      blocks.push(seconds);
      failuresPerBlock.push(failuresThisBlock);
      failuresThisBlock = 0;
      elapsed += seconds;
      expect(await redis.pttl(blockKey)).toBeGreaterThan((seconds - 5) * 1000);
      await redis.del(blockKey);
    }
    expect(failuresThisHour).toBeLessThanOrEqual(100);
    expect(failuresPerBlock).toEqual([FAILS_PER_ACCOUNT, FAILS_PER_ACCOUNT, FAILS_PER_ACCOUNT]);
    expect(blocks).toEqual([FIRST_BLOCK, 2 * FIRST_BLOCK, 4 * FIRST_BLOCK]);
  });

  it('forgets the failures of an account once it logs in', async () => {
    const carol = await register(pair, 'lim_carol');
    const from = randomLoopback();
    for (let i = 0; i < FAILS_PER_ACCOUNT - 1; i++) expect((await logIn(pair, from, carol.username, WRONG)).status).toBe(401);
    expect((await logIn(pair, from, carol.username, carol.password)).status).toBe(200);
    // Without the reset the next failure would already be refused.
    for (let i = 0; i < FAILS_PER_ACCOUNT; i++) expect((await logIn(pair, randomLoopback(), carol.email, WRONG)).status).toBe(401);
    expect(retryAfter(await logIn(pair, randomLoopback(), carol.email, WRONG))).toBe(FIRST_BLOCK);
  });

  it('limits failed logins from one address across accounts (credential stuffing), not other addresses', async () => {
    const stuffer = randomLoopback();
    const logins = Array.from({ length: FAILS_PER_IP + 1 }, () => uniqueUsername('stuffed'));
    const answers = await flood(FAILS_PER_IP, 5, (i) => logIn(pair, stuffer, logins[i], WRONG));
    expect(answers.map((answer) => answer.status)).toEqual(Array(FAILS_PER_IP).fill(401));
    const refused = await logIn(pair, stuffer, logins[FAILS_PER_IP], WRONG);
    expect(retryAfter(refused)).toBeGreaterThan(3000);
    expect((await logIn(pair, randomLoopback(), logins[FAILS_PER_IP], WRONG)).status).toBe(401);
  });

  it('answers a read flood from one token with 429, X-RateLimit-* and Retry-After, from any address', async () => {
    const [frank, grace] = await Promise.all([register(pair, 'lim_frank'), register(pair, 'lim_grace')]);
    const tokenOf = async (who: Credentials) => (await logIn(pair, randomLoopback(), who.username, who.password)).body.accessToken as string;
    const [token, otherToken] = await Promise.all([tokenOf(frank), tokenOf(grace)]);
    const addresses = Array.from({ length: 4 }, randomLoopback);
    const answers = await flood(API_PER_USER, 20, (i) => pair.client.call(addresses[i % 4], 'GET', '/api/v1/feed', { token }));
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(answers.every((answer) => answer.headers['x-ratelimit-limit'] === String(API_PER_USER))).toBe(true);
    const remaining = answers.map((answer) => Number(answer.headers['x-ratelimit-remaining'])).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: API_PER_USER }, (_, i) => i));

    const refused = await pair.client.call(randomLoopback(), 'GET', '/api/v1/feed', { token });
    const wait = retryAfter(refused);
    expect(wait).toBeLessThanOrEqual(WINDOW);
    expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(refused.headers).toMatchObject({ 'x-ratelimit-limit': String(API_PER_USER), 'x-ratelimit-remaining': '0' });
    const reset = Number(refused.headers['x-ratelimit-reset']);
    expect(Math.abs(reset - (Date.now() / 1000 + wait))).toBeLessThanOrEqual(2);

    const other = await pair.client.call(addresses[0], 'GET', '/api/v1/feed', { token: otherToken });
    expect(other.status).toBe(200);
    // Not limited: health and docs.
    const health = await pair.client.call(addresses[0], 'GET', '/health/live');
    expect(health.status).toBe(200);
    expect(health.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('gives search its own, lower budget, per user and per anonymous address', async () => {
    const heidi = await register(pair, 'lim_heidi');
    const token = (await logIn(pair, randomLoopback(), heidi.username, heidi.password)).body.accessToken as string;
    const searches = await flood(SEARCH_PER_USER, 10, () => pair.client.call(randomLoopback(), 'GET', '/api/v1/search/posts?q=limits', { token }));
    expect(searches.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(searches[0].headers['x-ratelimit-limit']).toBe(String(SEARCH_PER_USER));
    const refused = await pair.client.call(randomLoopback(), 'GET', '/api/v1/search/users?q=lim', { token });
    retryAfter(refused);
    expect(refused.headers['x-ratelimit-limit']).toBe(String(SEARCH_PER_USER));
    // The rest of the API budget is still there.
    const feed = await pair.client.call(randomLoopback(), 'GET', '/api/v1/feed', { token });
    expect(feed.status).toBe(200);
    expect(feed.headers['x-ratelimit-limit']).toBe(String(API_PER_USER));

    const anonymous = randomLoopback();
    const open = await flood(SEARCH_PER_IP, 10, () => pair.client.call(anonymous, 'GET', '/api/v1/search/posts?q=limits'));
    expect(open.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(open[0].headers['x-ratelimit-limit']).toBe(String(SEARCH_PER_IP));
    retryAfter(await pair.client.call(anonymous, 'GET', '/api/v1/search/posts?q=limits'));
    expect((await pair.client.call(randomLoopback(), 'GET', '/api/v1/search/posts?q=limits')).status).toBe(200);
  });

  describe('with Redis unreachable', () => {
    let offline: Pair;

    beforeAll(async () => {
      offline = await startPair(`redis://127.0.0.1:${await freePort()}`, started);
    });

    afterAll(async () => {
      await offline?.client.close();
    });

    it('still throttles logins per account (in-process insurance), and other accounts still log in', async () => {
      const [ivan, judy] = [await register(offline, 'lim_ivan'), await register(offline, 'lim_judy')];
      for (let i = 0; i < FAILS_PER_ACCOUNT; i++) expect((await logIn(offline, randomLoopback(), ivan.username, WRONG)).status).toBe(401);
      expect(retryAfter(await logIn(offline, randomLoopback(), ivan.email.toUpperCase(), WRONG))).toBe(FIRST_BLOCK);
      expect((await logIn(offline, randomLoopback(), judy.username, judy.password)).status).toBe(200);
    });

    it('still limits anonymous search per address, with the headers', async () => {
      const from = randomLoopback();
      const open = await flood(SEARCH_PER_IP, 10, () => offline.client.call(from, 'GET', '/api/v1/search/users?q=lim'));
      expect(open.filter((answer) => answer.status !== 200)).toEqual([]);
      const refused = await offline.client.call(from, 'GET', '/api/v1/search/users?q=lim');
      retryAfter(refused);
      expect(refused.headers).toMatchObject({ 'x-ratelimit-limit': String(SEARCH_PER_IP), 'x-ratelimit-remaining': '0' });
    });
  });
});
