import { type InsuredLimiter, RateLimiterRes, Refusal } from '@app/platform';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from '../config/gateway.config.js';
import { ApiBudgets, Budget, reportedVerdict } from './api-budgets.js';

describe('the budget a response reports', () => {
  const limiter = {} as InsuredLimiter;
  const api = new Budget('api-user', 1500, limiter);
  const search = new Budget('search-user', 300, limiter);
  const allowed = (remaining: number, ms = 1000) => new RateLimiterRes(remaining, ms);

  it('reports the only budget as it stands', () => {
    expect(reportedVerdict([api], [allowed(1499)])).toMatchObject({ budget: api, refused: false, result: { remainingPoints: 1499 } });
  });

  it('reports the budget with the fewest requests left while all allow', () => {
    expect(reportedVerdict([api, search], [allowed(1400), allowed(250)]).budget).toBe(search);
    expect(reportedVerdict([api, search], [allowed(10), allowed(250)]).budget).toBe(api);
  });

  it('reports a refusing budget over any allowing one, the longest wait among refusals', () => {
    expect(reportedVerdict([api, search], [allowed(0), new Refusal(allowed(0, 5000))])).toMatchObject({ budget: search, refused: true });
    expect(reportedVerdict([api, search], [new Refusal(allowed(0, 9000)), new Refusal(allowed(0, 5000))]).budget).toBe(api);
  });

  it('keys per-user budgets by user, the others by IP', () => {
    expect(api.perUser).toBe(true);
    expect(new Budget('api-ip', 300, limiter).perUser).toBe(false);
  });
});

describe('ApiBudgets.forHandler', () => {
  const config = {
    RATE_LIMIT_KEY_PREFIX: 'spec:',
    RATE_LIMIT_WINDOW_SECONDS: 300,
    RATE_LIMIT_API_PER_USER: 1500,
    RATE_LIMIT_API_PER_IP: 300,
    RATE_LIMIT_SEARCH_PER_USER: 300,
    RATE_LIMIT_SEARCH_PER_IP: 100,
    RATE_LIMIT_WRITES_PER_USER: 300,
    RATE_LIMIT_AUTH_PER_IP: 100,
    REDIS_REQUEST_TIMEOUT_MS: 300,
  } as GatewayConfig;
  // Never used for counting here: the limiters only need a client to exist.
  const budgets = new ApiBudgets({} as Redis, config);

  /** A request whose route template is read through a counting getter, like Fastify's allocating one. */
  function request(url: string, method = 'GET') {
    const reads = { count: 0 };
    return {
      reads,
      method,
      get routeOptions() {
        reads.count++;
        return { url } as FastifyRequest['routeOptions'];
      },
    };
  }

  it('reads the route template once per handler, then answers from memory', () => {
    const handler = () => undefined;
    const first = request('/api/v1/search/posts');
    expect(budgets.forHandler(handler, first, true)?.map((budget) => [budget.name, budget.limit])).toEqual([
      ['api-user', 1500],
      ['search-user', 300],
    ]);
    const later = request('/api/v1/search/posts');
    expect(budgets.forHandler(handler, later, false)?.map((budget) => budget.name)).toEqual(['api-ip', 'search-ip']);
    expect(first.reads.count).toBe(1);
    expect(later.reads.count).toBe(0);
  });

  it('remembers that a route outside the API is not limited', () => {
    const handler = () => undefined;
    expect(budgets.forHandler(handler, request('/health/ready'), false)).toBeUndefined();
    expect(budgets.forHandler(handler, request('/health/ready'), true)).toBeUndefined();
  });
});

