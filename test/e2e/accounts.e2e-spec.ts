/** "Accounts and auth" of the API contract, route by route, through the running gateway. */
import { api, registerBody } from '../support/api.js';
import { newAccount } from '../support/accounts.js';
import { uniqueUsername } from '../support/env.js';
import { eventually } from '../support/eventually.js';

const problem = (status: number, code?: string): unknown => expect.objectContaining({ status, ...(code ? { code } : {}), requestId: expect.any(String) });

describe('POST /api/v1/auth/register', () => {
  it('defaults the display name to the username and never returns secrets', async () => {
    const username = uniqueUsername('reg');
    const response = await api('POST', '/api/v1/auth/register', { body: registerBody(username) });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ username, displayName: username, bio: '' });
    expect(response.body).not.toHaveProperty('email');
    expect(JSON.stringify(response.body)).not.toMatch(/password|hash/i);
  });

  it('refuses an email that is taken in another case with 409', async () => {
    const username = uniqueUsername('mail');
    await api('POST', '/api/v1/auth/register', { body: registerBody(username) });
    const again = await api('POST', '/api/v1/auth/register', { body: { ...registerBody(uniqueUsername('mail2')), email: `${username.toUpperCase()}@EXAMPLE.COM` } });
    expect(again.status).toBe(409);
    expect(again.body).toEqual(problem(409, 'EMAIL_TAKEN'));
  });

  it('lets exactly one of two concurrent registrations of one name succeed', async () => {
    const username = uniqueUsername('race');
    const [a, b] = await Promise.all([
      api('POST', '/api/v1/auth/register', { body: { ...registerBody(username), email: `a.${username}@example.com` } }),
      api('POST', '/api/v1/auth/register', { body: { ...registerBody(username.toUpperCase()), email: `b.${username}@example.com` } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
  });

  it('counts length in code points: a 50-emoji display name is accepted, 51 is not', async () => {
    const ok = await api('POST', '/api/v1/auth/register', { body: { ...registerBody(uniqueUsername('emoji')), displayName: '🐱'.repeat(50) } });
    expect(ok.status).toBe(201);
    const tooLong = await api('POST', '/api/v1/auth/register', { body: { ...registerBody(uniqueUsername('emoji')), displayName: '🐱'.repeat(51) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ errors: [expect.objectContaining({ field: 'displayName' })] });
  });
});

describe('display names must show something', () => {
  const invisible = ['\u200B', '\u200B\u200C\u200D', '\uFEFF\u2060', ' \u0301 ', '\u3164'];

  it.each(invisible.map((name) => [JSON.stringify(name), name]))('refuses the display name %s at registration and in PATCH /users/me (400 naming displayName)', async (_label, displayName) => {
    const register = await api('POST', '/api/v1/auth/register', { body: { ...registerBody(uniqueUsername('invis')), displayName } });
    expect(register).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'displayName' })] } });
    const account = await newAccount('invis');
    const patch = await api('PATCH', '/api/v1/users/me', { token: account.accessToken, body: { displayName } });
    expect(patch).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'displayName', message: expect.stringContaining('visible') })] } });
    expect((await api('GET', '/api/v1/users/me', { token: account.accessToken })).body).toMatchObject({ displayName: account.username });
  });

  it('keeps a visible name that contains invisible characters', async () => {
    const account = await newAccount('vis');
    const patch = await api('PATCH', '/api/v1/users/me', { token: account.accessToken, body: { displayName: 'Ada\u200B👩🏽\u200D💻' } });
    expect(patch).toMatchObject({ status: 200, body: { displayName: 'Ada\u200B👩🏽\u200D💻' } });
  });
});

describe('POST /api/v1/auth/login', () => {
  it('accepts the username or the email, case-insensitively, and returns tokens', async () => {
    const account = await newAccount('login');
    for (const login of [account.username.toUpperCase(), `${account.username}@Example.com`]) {
      const response = await api('POST', '/api/v1/auth/login', { body: { login, password: account.password } });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: expect.any(Number) });
    }
  });

  it('answers an unknown user and a wrong password the same way', async () => {
    const account = await newAccount('login');
    const wrong = await api('POST', '/api/v1/auth/login', { body: { login: account.username, password: 'not the password' } });
    const unknown = await api('POST', '/api/v1/auth/login', { body: { login: uniqueUsername('ghost'), password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const { requestId: _a, ...wrongBody } = wrong.body;
    const { requestId: _b, ...unknownBody } = unknown.body;
    expect(wrongBody).toEqual(unknownBody);
  });
});

describe('POST /api/v1/auth/refresh and /logout', () => {
  it('rotates the refresh token: the new one works, the old one is dead', async () => {
    const account = await newAccount('rot');
    const rotated = await api<{ refreshToken: string; accessToken: string }>('POST', '/api/v1/auth/refresh', { body: { refreshToken: account.refreshToken } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(account.refreshToken);
    expect((await api('GET', '/api/v1/users/me', { token: rotated.body.accessToken })).status).toBe(200);
    const next = await api<{ refreshToken: string }>('POST', '/api/v1/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } });
    expect(next.status).toBe(200);
  });

  it('revokes the whole family when a rotated token is used again', async () => {
    const account = await newAccount('reuse');
    const rotated = await api<{ refreshToken: string }>('POST', '/api/v1/auth/refresh', { body: { refreshToken: account.refreshToken } });
    expect(rotated.status).toBe(200);
    const replay = await api('POST', '/api/v1/auth/refresh', { body: { refreshToken: account.refreshToken } });
    expect(replay.status).toBe(401);
    // The legitimate newest token is revoked too: the family is compromised.
    const newest = await api('POST', '/api/v1/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } });
    expect(newest.status).toBe(401);
  });

  it('logs out with 204, after which the refresh token is dead', async () => {
    const account = await newAccount('out');
    const out = await api('POST', '/api/v1/auth/logout', { body: { refreshToken: account.refreshToken } });
    expect(out.status).toBe(204);
    expect(out.body).toBeUndefined();
    expect((await api('POST', '/api/v1/auth/refresh', { body: { refreshToken: account.refreshToken } })).status).toBe(401);
    expect((await api('POST', '/api/v1/auth/logout', { body: { refreshToken: account.refreshToken } })).status).toBe(401);
  });

  it('answers an unknown refresh token with 401', async () => {
    const response = await api('POST', '/api/v1/auth/refresh', { body: { refreshToken: 'A'.repeat(43) } });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(problem(401));
  });
});

describe('/api/v1/users', () => {
  it('GET /users/me returns the caller with email, and 401 without a token', async () => {
    const account = await newAccount('me');
    const me = await api('GET', '/api/v1/users/me', { token: account.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: account.id, username: account.username, email: `${account.username}@example.com` });
    const anonymous = await api('GET', '/api/v1/users/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('PATCH /users/me changes the profile, and the change reaches search through user.updated', async () => {
    const account = await newAccount('patch');
    const marker = `Zed${account.username.slice(-8)}`;
    const patched = await api('PATCH', '/api/v1/users/me', { token: account.accessToken, body: { displayName: `  ${marker} Кошкин  `, bio: 'line one\nline two' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ displayName: `${marker} Кошкин`, bio: 'line one\nline two', email: expect.any(String) });
    // The marker shares most of its trigrams with the username, so search may find the
    // account before user.updated arrives: wait for the new name itself.
    const found = await eventually(
      async () =>
        (await api<{ items: { id: string; displayName: string }[] }>('GET', `/api/v1/search/users?q=${marker}`)).body.items.find(
          (u) => u.id === account.id && u.displayName === `${marker} Кошкин`,
        ),
      { what: 'the new display name in search' },
    );
    expect(found).toMatchObject({ id: account.id, displayName: `${marker} Кошкин` });
  });

  it('PATCH /users/me rejects invalid fields with 400 naming them', async () => {
    const account = await newAccount('patch');
    const response = await api('PATCH', '/api/v1/users/me', { token: account.accessToken, body: { displayName: '', bio: 'x'.repeat(161), email: 'x@y.z' } });
    expect(response.status).toBe(400);
    const fields = (response.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['bio', 'displayName', 'email']);
  });

  it('GET /users/{username} works anonymously and with a token, 404 for an unknown user', async () => {
    const account = await newAccount('pub');
    const anonymous = await api('GET', `/api/v1/users/${account.username}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({ id: account.id, username: account.username });
    expect(anonymous.body).not.toHaveProperty('email');
    expect((await api('GET', `/api/v1/users/${account.username}`, { token: account.accessToken })).status).toBe(200);
    expect((await api('GET', `/api/v1/users/${account.username}`, { token: 'not.a.token' })).status).toBe(401);
    const missing = await api('GET', `/api/v1/users/${uniqueUsername('nobody')}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(problem(404, 'USER_NOT_FOUND'));
  });
});
