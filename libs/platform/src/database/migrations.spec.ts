import type { QueryRunner } from 'typeorm';
import { outboxTraceContextMigration, workerLeaseMigration } from './migrations.js';

/** A runner that records the statements it is given. */
function recordingRunner() {
  const statements: string[] = [];
  const runner = { query: (sql: string) => Promise.resolve(statements.push(sql.replace(/\s+/g, ' ').trim())) } as unknown as QueryRunner;
  return { runner, statements };
}

describe('per-service migration factories', () => {
  it('make a worker-lease migration under the name the service recorded, on its own schema', async () => {
    const Migration = workerLeaseMigration('graph', 'CreateGraphWorkerLeases1764500000000');
    const migration = new Migration();
    expect(migration.name).toBe('CreateGraphWorkerLeases1764500000000');

    const { runner, statements } = recordingRunner();
    await migration.up(runner);
    await migration.down(runner);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^CREATE TABLE "graph"\.worker_leases \( worker_id integer PRIMARY KEY CHECK \(worker_id BETWEEN 0 AND 1023\)/);
    expect(statements[1]).toBe('DROP TABLE "graph".worker_leases');
  });

  it('make the outbox trace-context migration the same way', async () => {
    const migration = new (outboxTraceContextMigration('users', 'AddUsersOutboxTraceContext1764600000000'))();
    expect(migration.name).toBe('AddUsersOutboxTraceContext1764600000000');
    const { runner, statements } = recordingRunner();
    await migration.up(runner);
    expect(statements).toEqual(['ALTER TABLE "users".outbox ADD COLUMN IF NOT EXISTS trace_parent text, ADD COLUMN IF NOT EXISTS trace_state text']);
  });
});
