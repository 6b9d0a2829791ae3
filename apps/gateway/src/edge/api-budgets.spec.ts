import { RateLimiterRes, Refusal } from '@app/platform';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { Budget, reportedVerdict } from './api-budgets.js';

describe('the budget a response reports', () => {
  const limiter = {} as RateLimiterRedis;
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
