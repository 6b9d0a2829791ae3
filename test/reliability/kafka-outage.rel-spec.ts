/**
 * Broker outage: with Kafka stopped, a registration still answers 201 (the
 * event waits in the outbox); once the broker is back, the event reaches the
 * search index exactly once.
 */
import { execFileSync } from 'node:child_process';
import type pg from 'pg';
import { api, registerBody } from '../support/api.js';
import { adminPool } from '../support/db.js';
import { setting, uniqueUsername } from '../support/env.js';
import { eventually } from '../support/eventually.js';

function kafka(command: 'start' | 'stop'): void {
  execFileSync('scripts/kafka.sh', [command], { stdio: 'inherit', timeout: 180_000 });
}

describe('Kafka outage', () => {
  let db: pg.Pool;
  beforeAll(() => {
    db = adminPool();
  });
  afterAll(async () => {
    kafka('start'); // never leave the broker down for the suites after this one
    await db.end();
  });

  it('loses no acknowledged registration and delivers its event exactly once', async () => {
    kafka('stop');
    const username = uniqueUsername('outage');
    const created = await api<{ id: string }>('POST', '/api/v1/auth/register', { body: registerBody(username) });
    expect(created.status).toBe(201);

    // Readiness names the missing dependency while the process stays live.
    const ready = await fetch(`http://127.0.0.1:${setting('USERS_PORT')}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await ready.json()).toMatchObject({ status: 503, failing: ['kafka'], checks: { postgres: 'up', kafka: 'down' } });
    expect((await fetch(`http://127.0.0.1:${setting('USERS_PORT')}/health/live`)).status).toBe(200);

    // The event is durable in the users outbox while the broker is away.
    const pending = await db.query<{ event_id: string }>(
      `SELECT event_id::text FROM users.outbox WHERE event_type = 'user.registered' AND payload::jsonb -> 'data' ->> 'userId' = $1`,
      [created.body.id],
    );
    expect(pending.rows).toHaveLength(1);
    const eventId = pending.rows[0].event_id;

    kafka('start');
    await eventually(
      async () => ((await db.query('SELECT 1 FROM search.users WHERE id = $1', [created.body.id])).rowCount === 1 ? true : undefined),
      { timeoutMs: 120_000, intervalMs: 500, what: `${username} in the search index after the outage` },
    );
    const searchable = await eventually(
      async () => {
        const page = await api<{ items: { id: string }[] }>('GET', `/api/v1/search/users?q=${username}`);
        return page.body.items.some((user) => user.id === created.body.id) ? page.body.items : undefined;
      },
      { timeoutMs: 30_000, what: 'search through the gateway' },
    );
    expect(searchable.filter((user) => user.id === created.body.id)).toHaveLength(1);

    const rows = await db.query('SELECT count(*)::int AS n FROM search.users WHERE id = $1', [created.body.id]);
    expect(rows.rows[0].n).toBe(1);
    const processed = await db.query('SELECT count(*)::int AS n FROM search.processed_events WHERE event_id = $1', [eventId]);
    expect(processed.rows[0].n).toBe(1);
    const left = await db.query('SELECT count(*)::int AS n FROM users.outbox WHERE event_id = $1', [eventId]);
    expect(left.rows[0].n).toBe(0);
  });
});
