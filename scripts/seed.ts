/**
 * Seeds a little demo data through the public API, so that it goes through
 * the same validation, services and events as real traffic: three users who
 * follow each other and a few posts. Safe to run again: what exists is kept.
 */
const gateway = process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? '3000'}`;
const PASSWORD = 'demo-password-123';

const demoUsers = [
  { username: 'ada', email: 'ada@example.com', displayName: 'Ada Lovelace', posts: ['The Analytical Engine weaves algebraic patterns #history', 'Notes on note G, part two #math'] },
  { username: 'grace', email: 'grace@example.com', displayName: 'Grace Hopper', posts: ['Found an actual bug in the relay today #debugging'] },
  { username: 'linus', email: 'linus@example.com', displayName: 'Linus', posts: ['Talk is cheap. Show me the code. @ada @grace #code'] },
];
const demoFollows: [string, string][] = [
  ['ada', 'grace'],
  ['grace', 'ada'],
  ['linus', 'ada'],
  ['linus', 'grace'],
];

async function call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${gateway}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

function fail(what: string, response: { status: number; body: unknown }): never {
  throw new Error(`seeding: ${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
}

/** Graph learns of new accounts by event: a follow may need a moment. */
async function followWhenKnown(token: string, username: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await call('POST', `/api/v1/users/${username}/follow`, undefined, token);
    if (response.status === 204) return;
    if (response.status !== 404) fail(`follow ${username}`, response);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`seeding: ${username} never became known to the graph service`);
}

const tokens = new Map<string, string>();
for (const user of demoUsers) {
  const registered = await call('POST', '/api/v1/auth/register', { username: user.username, email: user.email, password: PASSWORD, displayName: user.displayName });
  if (registered.status !== 201 && registered.status !== 409) fail(`register ${user.username}`, registered);
  const login = await call('POST', '/api/v1/auth/login', { login: user.username, password: PASSWORD });
  if (login.status !== 200) fail(`login ${user.username}`, login);
  tokens.set(user.username, (login.body as { accessToken: string }).accessToken);
  process.stdout.write(`user ${user.username}: ${registered.status === 201 ? 'created' : 'exists'}\n`);
}
for (const [follower, followee] of demoFollows) await followWhenKnown(tokens.get(follower)!, followee);
for (const user of demoUsers) {
  const timeline = await call('GET', `/api/v1/users/${user.username}/posts?limit=1`);
  if ((timeline.body as { items?: unknown[] } | undefined)?.items?.length) continue;
  for (const text of user.posts) {
    const posted = await call('POST', '/api/v1/posts', { text }, tokens.get(user.username));
    if (posted.status !== 201) fail(`post by ${user.username}`, posted);
  }
}
process.stdout.write(`demo data ready: ${demoUsers.length} users, ${demoFollows.length} follows; log in as ada / ${PASSWORD}\n`);
