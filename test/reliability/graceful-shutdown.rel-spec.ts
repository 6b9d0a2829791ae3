/**
 * SIGTERM under load: the users service stops accepting, finishes what it
 * accepted, flushes its outbox and exits. No accepted registration fails,
 * and every acknowledged one reaches the search index by its event.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { request } from 'node:http';
import type pg from 'pg';
import { adminPool } from '../support/db.js';
import { setting, uniqueUsername } from '../support/env.js';
import { eventually } from '../support/eventually.js';

type Outcome =
  | { kind: 'acknowledged'; id: string }
  | { kind: 'refused'; why: string }
  | { kind: 'reset'; username: string }
  | { kind: 'failed'; why: string };

/** One registration straight to the users service on a fresh connection (no keep-alive races). */
function register(username: string): Promise<Outcome> {
  const body = JSON.stringify({ username, email: `${username}@example.com`, password: 'correct horse battery' });
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: Number(setting('USERS_PORT')), method: 'POST', path: '/auth/register', agent: false, headers: { 'content-type': 'application/json', connection: 'close' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          if (res.statusCode === 201) resolve({ kind: 'acknowledged', id: (JSON.parse(text) as { id: string }).id });
          // Fastify answers 503 to requests that arrive while it closes: an orderly refusal.
          else if (res.statusCode === 503) resolve({ kind: 'refused', why: '503 while closing' });
          else resolve({ kind: 'failed', why: `${res.statusCode} ${text}` });
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      // Refused connections never reached the service. A reset without an answer
      // is checked below: it must not have written anything (it was never accepted).
      if (error.code === 'ECONNREFUSED') resolve({ kind: 'refused', why: error.code });
      else if (error.code === 'ECONNRESET') resolve({ kind: 'reset', username });
      else resolve({ kind: 'failed', why: `${error.code ?? ''} ${error.message}` });
    });
    req.end(body);
  });
}

describe('graceful shutdown', () => {
  let db: pg.Pool;
  beforeAll(() => {
    db = adminPool();
  });
  afterAll(async () => {
    execFileSync('scripts/apps.sh', ['start', 'users'], { stdio: 'inherit', timeout: 180_000 });
    await db.end();
  });

  it('loses no accepted request and no event when users gets SIGTERM under load', async () => {
    const outcomes: Outcome[] = [];
    let stopped = false;
    // Each worker keeps registering through the shutdown and a few times after it;
    // the deadline ends the loop even if the test fails before the stop.
    const deadline = Date.now() + 120_000;
    const worker = async (w: number) => {
      for (let afterStop = 0; afterStop < 3 && Date.now() < deadline; ) {
        outcomes.push(await register(uniqueUsername(`gs${w}`)));
        if (stopped) afterStop++;
      }
    };
    const workers = Array.from({ length: 6 }, (_, w) => worker(w));
    // Let load build up, then stop the service while requests are in flight.
    await eventually(() => (outcomes.filter((o) => o.kind === 'acknowledged').length >= 20 ? true : undefined), { timeoutMs: 60_000 });
    // Asynchronously, so that requests keep going out while the service drains.
    await promisify(execFile)('scripts/apps.sh', ['stop', 'users'], { timeout: 60_000 });
    stopped = true;
    await Promise.all(workers);

    const failed = outcomes.filter((o) => o.kind === 'failed');
    expect(failed).toEqual([]);
    const acknowledged = outcomes.flatMap((o) => (o.kind === 'acknowledged' ? [o.id] : []));
    expect(acknowledged.length).toBeGreaterThan(20);
    expect(outcomes.some((o) => o.kind === 'refused' || o.kind === 'reset')).toBe(true);
    // Connections still in the listen backlog when the socket closes are reset by the
    // kernel: such a request was never read, so nothing of it may have been stored.
    const resets = outcomes.flatMap((o) => (o.kind === 'reset' ? [o.username] : []));
    const ghosts = await db.query('SELECT username FROM users.users WHERE username = ANY($1::text[])', [resets]);
    expect(ghosts.rows).toEqual([]);

    // Every acknowledged write is stored, and its event reaches search (after restart at the latest).
    const stored = await db.query('SELECT count(*)::int AS n FROM users.users WHERE id = ANY($1::bigint[])', [acknowledged]);
    expect(stored.rows[0].n).toBe(acknowledged.length);
    execFileSync('scripts/apps.sh', ['start', 'users'], { stdio: 'inherit', timeout: 180_000 });
    await eventually(
      async () => {
        const indexed = await db.query('SELECT count(*)::int AS n FROM search.users WHERE id = ANY($1::bigint[])', [acknowledged]);
        return indexed.rows[0].n === acknowledged.length ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: `all ${acknowledged.length} acknowledged users in search` },
    );
  });
});
