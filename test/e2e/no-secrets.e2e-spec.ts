/**
 * No secret reaches a log file or a response: passwords (right or wrong),
 * refresh and access tokens, and argon2 hashes. The apps started by
 * scripts/apps.sh log to .run/logs/<app>.log; this test reads what they wrote
 * while it ran, so it does not depend on the order of test files.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { api, type ApiResponse } from '../support/api.js';
import { setting, uniqueUsername } from '../support/env.js';
import { eventually } from '../support/eventually.js';

const logDir = resolve(setting('WARBLE_RUN', '.run'), 'logs');
const HASH = /\$argon2(id|i|d)\$|password_?hash/i;

/** Byte offsets of each log file now, so that only later lines are read. */
async function logOffsets(): Promise<Map<string, number>> {
  const files = (await readdir(logDir)).filter((name) => name.endsWith('.log'));
  return new Map(await Promise.all(files.map(async (name) => [name, (await stat(join(logDir, name))).size] as const)));
}

async function logsSince(offsets: Map<string, number>): Promise<string> {
  const parts: string[] = [];
  for (const name of (await readdir(logDir)).filter((file) => file.endsWith('.log'))) {
    const file = await open(join(logDir, name), 'r');
    try {
      const start = offsets.get(name) ?? 0;
      const { size } = await file.stat();
      const buffer = Buffer.alloc(Math.max(0, size - start));
      await file.read(buffer, 0, buffer.length, start);
      parts.push(buffer.toString('utf8'));
    } finally {
      await file.close();
    }
  }
  return parts.join('\n');
}

describe('no secret in logs or responses', () => {
  const marker = randomBytes(6).toString('hex');
  const password = `Sekret-${marker}-pässwörd 🔐`;
  const wrongPassword = `Wrong-${marker}-guess`;
  const username = uniqueUsername('secret');
  const responses: ApiResponse[] = [];
  const secrets: string[] = [password, wrongPassword];
  let offsets: Map<string, number>;
  let lastRequestId: string;

  const call = async <T = Record<string, unknown>>(...args: Parameters<typeof api>) => {
    const response = await api<T>(...args);
    responses.push(response);
    lastRequestId = response.headers.get('x-request-id') ?? '';
    return response;
  };

  beforeAll(async () => {
    offsets = await logOffsets();
    expect(offsets.size).toBeGreaterThan(0);

    expect((await call('POST', '/api/v1/auth/register', { body: { username, email: `${username}@example.com`, password } })).status).toBe(201);
    // A refused registration still carries a password.
    expect((await call('POST', '/api/v1/auth/register', { body: { username: 'x', email: 'nope', password: wrongPassword } })).status).toBe(400);
    expect((await call('POST', '/api/v1/auth/register', { body: { username, email: `other.${username}@example.com`, password: wrongPassword } })).status).toBe(409);

    const login = await call<{ accessToken: string; refreshToken: string }>('POST', '/api/v1/auth/login', { body: { login: username, password } });
    expect(login.status).toBe(200);
    expect((await call('POST', '/api/v1/auth/login', { body: { login: username, password: wrongPassword } })).status).toBe(401);
    expect((await call('POST', '/api/v1/auth/login', { body: { login: `nobody_${marker}`, password: wrongPassword } })).status).toBe(401);

    const refreshed = await call<{ accessToken: string; refreshToken: string }>('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    // Reusing the spent token is refused (and revokes the family): it must not be logged either.
    expect((await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } })).status).toBe(401);
    expect((await call('GET', '/api/v1/users/me', { token: refreshed.body.accessToken })).status).toBe(200);
    secrets.push(login.body.refreshToken, refreshed.body.refreshToken, login.body.accessToken, refreshed.body.accessToken);

    // The gateway writes its access line after the answer: wait until the last one is on disk.
    await eventually(async () => ((await logsSince(offsets)).includes(lastRequestId) ? true : undefined), { what: 'access log of the last request' });
  });

  it('writes none of the passwords, tokens or hashes to any log', async () => {
    const logs = await logsSince(offsets);
    expect(logs).toContain(lastRequestId);
    for (const secret of secrets) {
      expect({ secret, logged: logs.includes(secret) }).toEqual({ secret, logged: false });
    }
    // Also the JSON-escaped form of the non-ASCII password.
    expect(logs.includes(JSON.stringify(password).slice(1, -1))).toBe(false);
    expect(logs).not.toMatch(HASH);
  });

  it('never answers with a password or a hash', () => {
    for (const response of responses) {
      const text = JSON.stringify(response.body);
      expect(text).not.toMatch(HASH);
      expect(text).not.toContain(password);
      expect(text).not.toContain(wrongPassword);
      expect(text).not.toMatch(/"password\w*"\s*:/i);
    }
  });

  it('holds no hash anywhere in the log files, from any run', async () => {
    expect(await logsSince(new Map())).not.toMatch(/\$argon2(id|i|d)\$/);
  });
});
