/**
 * A request that reaches a service directly, past the gateway, cannot act as
 * someone else: the users service verifies the token itself
 * (docs/architecture.md, "Authentication") and trusts no header but a valid
 * bearer token.
 */
import { api, registerBody } from '../support/api.js';
import { setting, uniqueUsername } from '../support/env.js';
import { send } from '../support/http.js';
import { expectProblem } from '../support/problem.js';
import { hmacWithPublicKey, signToken, signWithForeignKey, type TokenSubject, unsignedToken } from '../support/tokens.js';

const usersUrl = `http://127.0.0.1:${setting('USERS_PORT')}`;

interface Account extends TokenSubject {
  token: string;
}

async function account(prefix: string): Promise<Account> {
  const username = uniqueUsername(prefix);
  const created = await api<{ id: string }>('POST', '/api/v1/auth/register', { body: registerBody(username) });
  expect(created.status).toBe(201);
  const login = await api<{ accessToken: string }>('POST', '/api/v1/auth/login', { body: { login: username, password: registerBody(username).password } });
  expect(login.status).toBe(200);
  return { id: created.body.id, username, token: login.body.accessToken };
}

/** GET or PATCH /users/me straight at the users service. */
function direct(method: 'GET' | 'PATCH', authorization?: string, extraHeaders: Record<string, string> = {}) {
  return send<{ id: string; username: string; bio: string }>({
    baseUrl: usersUrl,
    method,
    path: '/users/me',
    json: method === 'PATCH' ? { bio: 'written by an intruder' } : undefined,
    headers: { ...extraHeaders, ...(authorization ? { authorization } : {}) },
  });
}

describe('the users service refuses direct callers without a valid token', () => {
  let alice: Account;
  let bob: Account;
  const forged: Record<string, () => Promise<string> | string> = {
    'no token': () => '',
    'a token signed by another key': async () => `Bearer ${await signWithForeignKey(alice)}`,
    'an alg:none token': () => `Bearer ${unsignedToken(alice)}`,
    'an HS256 token keyed with the public key': async () => `Bearer ${await hmacWithPublicKey(alice)}`,
    'a token with a wrong issuer': async () => `Bearer ${await signToken(alice, { issuer: 'warble-gateway' })}`,
    "another user's expired token": async () => `Bearer ${await signToken(bob, { expiresIn: -30 })}`,
    'a random string': () => 'Bearer not-a-token',
  };

  beforeAll(async () => {
    [alice, bob] = await Promise.all([account('direct_a'), account('direct_b')]);
  });

  it.each(Object.keys(forged).flatMap((name) => [['GET', name] as const, ['PATCH', name] as const]))('%s /users/me with %s: 401', async (method, name) => {
    const authorization = await forged[name]();
    const response = await direct(method, authorization || undefined);
    expectProblem(response, 401);
  });

  it('trusts no identity header: without a token, x-user-id and friends get a 401', async () => {
    const spoofed = { 'x-user-id': alice.id, 'x-caller-id': alice.id, 'x-forwarded-user': alice.username, 'x-authenticated-userid': alice.id };
    expectProblem(await direct('GET', undefined, spoofed), 401);
    expectProblem(await direct('PATCH', undefined, spoofed), 401);
  });

  it("leaves the victim's profile untouched by all those attempts", async () => {
    const profile = await direct('GET', `Bearer ${alice.token}`);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ id: alice.id, username: alice.username, bio: '' });
  });

  it("acts only as the token's user, whatever other headers claim", async () => {
    const spoofed = { 'x-user-id': alice.id, 'x-caller-id': alice.id };
    const me = await direct('GET', `Bearer ${bob.token}`, spoofed);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: bob.id, username: bob.username });

    const updated = await direct('PATCH', `Bearer ${bob.token}`, spoofed);
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: bob.id, bio: 'written by an intruder' });

    const aliceNow = await direct('GET', `Bearer ${alice.token}`);
    expect(aliceNow.body).toMatchObject({ id: alice.id, bio: '' });
  });
});
