import { budgetsFor, isPerUser } from './rate-limit-rules.js';

describe('rate-limit rule selection', () => {
  it('does not limit routes outside the API', () => {
    for (const route of ['/health/ready', '/health/live', '/metrics', '/docs', '/docs/json', '/docs/*']) {
      expect(budgetsFor(route, 'GET', false)).toBeUndefined();
      expect(budgetsFor(route, 'GET', true)).toBeUndefined();
    }
    expect(budgetsFor(undefined, 'GET', false)).toBeUndefined();
  });

  it('counts /auth/* per client IP only, with or without a token', () => {
    for (const route of ['/api/v1/auth/login', '/api/v1/auth/register', '/api/v1/auth/refresh', '/api/v1/auth/logout']) {
      expect(budgetsFor(route, 'POST', false)).toEqual(['auth-ip']);
      expect(budgetsFor(route, 'POST', true)).toEqual(['auth-ip']);
    }
  });

  it('counts a user’s calls against the API budget, writes and searches against their own too', () => {
    expect(budgetsFor('/api/v1/feed', 'GET', true)).toEqual(['api-user']);
    expect(budgetsFor('/api/v1/users/:username', 'GET', true)).toEqual(['api-user']);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(budgetsFor('/api/v1/posts', method, true)).toEqual(['api-user', 'writes-user']);
    expect(budgetsFor('/api/v1/search/posts', 'GET', true)).toEqual(['api-user', 'search-user']);
    expect(budgetsFor('/api/v1/search/users', 'GET', true)).toEqual(['api-user', 'search-user']);
  });

  it('counts anonymous calls per IP, with the lower search budget on search', () => {
    expect(budgetsFor('/api/v1/users/:username/posts', 'GET', false)).toEqual(['api-ip']);
    expect(budgetsFor('/api/v1/search/posts', 'GET', false)).toEqual(['api-ip', 'search-ip']);
  });

  it('matches on the route template: a look-alike outside the prefixes is not search or auth', () => {
    expect(budgetsFor('/api/v1/searches', 'GET', true)).toEqual(['api-user']);
    expect(budgetsFor('/api/v1/authors', 'GET', false)).toEqual(['api-ip']);
  });

  it('answers the same list object each time (nothing allocated per request)', () => {
    expect(budgetsFor('/api/v1/feed', 'GET', true)).toBe(budgetsFor('/api/v1/posts/:id', 'GET', true));
  });

  it('keys -user budgets by user and the others by IP', () => {
    expect(isPerUser('api-user')).toBe(true);
    expect(isPerUser('search-user')).toBe(true);
    expect(isPerUser('writes-user')).toBe(true);
    expect(isPerUser('api-ip')).toBe(false);
    expect(isPerUser('auth-ip')).toBe(false);
  });
});
