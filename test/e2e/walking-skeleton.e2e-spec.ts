/**
 * The walking skeleton through the running system: a registration at the
 * gateway lands in users, travels as `user.registered` through the outbox
 * and Kafka, and becomes searchable in the search service's own index.
 */
import { api, registerBody } from '../support/api.js';
import { setting, uniqueUsername } from '../support/env.js';
import { eventually } from '../support/eventually.js';
import type { UserBody } from '../support/graph.js';

describe('walking skeleton: register → Kafka → search', () => {
  it('makes a registered user findable by username prefix', async () => {
    const username = uniqueUsername('skel');
    const created = await api<UserBody>('POST', '/api/v1/auth/register', { body: { ...registerBody(username), displayName: 'Skeleton Key' } });

    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[1-9][0-9]*$/),
      username,
      displayName: 'Skeleton Key',
      bio: '',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      followersCount: 0,
      followingCount: 0,
      postsCount: 0,
    });
    expect(JSON.stringify(created.body)).not.toMatch(/password|hash|argon/i);

    const prefix = username.slice(0, 10);
    const found = await eventually(
      async () => {
        const page = await api<{ items: UserBody[]; nextCursor: string | null }>('GET', `/api/v1/search/users?q=${prefix}&limit=100`);
        return page.body.items.find((user) => user.id === created.body.id);
      },
      { timeoutMs: 20_000, what: `${username} in search` },
    );
    expect(found).toMatchObject({ username, displayName: 'Skeleton Key' });
  });

  it('refuses a second account with the same username in another case', async () => {
    const username = uniqueUsername('dupe');
    expect((await api('POST', '/api/v1/auth/register', { body: registerBody(username) })).status).toBe(201);
    const again = await api('POST', '/api/v1/auth/register', { body: { ...registerBody(username.toUpperCase()), email: `other.${username}@example.com` } });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({ status: 409, code: 'USERNAME_TAKEN' });
  });

  it('answers invalid input with a 400 problem naming the fields', async () => {
    const response = await api('POST', '/api/v1/auth/register', { body: { username: 'x', email: 'nope', password: 'short', isAdmin: true } });
    expect(response.status).toBe(400);
    const fields = (response.body.errors as { field: string }[]).map((error) => error.field).sort();
    expect(fields).toEqual(['email', 'isAdmin', 'password', 'username']);
    expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status: 400, detail: expect.any(String), requestId: expect.any(String) });
  });

  it('keeps a sane X-Request-Id from the caller and replaces an unsafe one', async () => {
    const kept = await api('GET', '/api/v1/search/users?q=zz', { headers: { 'x-request-id': 'client-chosen-id-123' } });
    expect(kept.headers.get('x-request-id')).toBe('client-chosen-id-123');
    const replaced = await api('GET', '/nope', { headers: { 'x-request-id': '<script>alert(1)</script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.status).toBe(404);
    expect(replaced.body).toMatchObject({ status: 404, requestId: replaced.headers.get('x-request-id') });
  });

  it('rejects a malformed search query with 400', async () => {
    for (const query of ['', '?q=', '?q=%20%20', `?q=${'a'.repeat(201)}`, '?q=ok&limit=0', '?q=ok&limit=101', '?q=ok&limit=abc', '?q=ok&cursor=!!']) {
      const response = await api('GET', `/api/v1/search/users${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
    }
  });
});

describe('every app is live and ready', () => {
  const apps = ['GATEWAY', 'USERS', 'POSTS', 'GRAPH', 'SEARCH', 'COMMENTS'];

  it.each(apps)('%s answers /health/live and /health/ready with 200', async (app) => {
    const base = `http://127.0.0.1:${setting(`${app}_PORT`)}`;
    const live = await fetch(`${base}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok' });
  });
});
