import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createWorkerLeaseTable, dropWorkerLeaseTable } from './worker-lease.js';

/**
 * Runs pending migrations under a Postgres advisory lock, so that several
 * replicas starting at once apply each migration exactly once.
 */
export async function runMigrationsLocked(dataSource: DataSource, schema: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * The tables every service needs for reliable messaging, created by each
 * service's first migration: the transactional outbox and the consumer's
 * record of processed event ids. The outbox is created in its current shape
 * (also by tests that make throw-away schemas); the columns added by later
 * migrations are added with IF NOT EXISTS, so both paths end up equal.
 */
export async function createMessagingTables(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`
    CREATE TABLE "${schema}".outbox (
      id             bigserial PRIMARY KEY,
      event_id       uuid        NOT NULL UNIQUE,
      topic          text        NOT NULL,
      message_key    text        NOT NULL,
      event_type     text        NOT NULL,
      payload        text        NOT NULL,
      correlation_id text,
      created_at     timestamptz NOT NULL DEFAULT now(),
      trace_parent   text,
      trace_state    text
    )`);
  await runner.query(`
    CREATE TABLE "${schema}".processed_events (
      event_id     uuid        PRIMARY KEY,
      event_type   text        NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now()
    )`);
  await runner.query(`CREATE INDEX processed_events_processed_at_idx ON "${schema}".processed_events (processed_at)`);
}

export async function dropMessagingTables(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`DROP TABLE IF EXISTS "${schema}".processed_events`);
  await runner.query(`DROP TABLE IF EXISTS "${schema}".outbox`);
}

/**
 * W3C trace context of the span that wrote an outbox row (`traceparent`,
 * `tracestate`); the relay sends it as Kafka headers. Nullable, and without
 * a default, so adding them is a catalogue change only and old code that does
 * not know them keeps working (expand-only).
 */
export async function addOutboxTraceColumns(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`ALTER TABLE "${schema}".outbox ADD COLUMN IF NOT EXISTS trace_parent text, ADD COLUMN IF NOT EXISTS trace_state text`);
}

export async function dropOutboxTraceColumns(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`ALTER TABLE "${schema}".outbox DROP COLUMN IF EXISTS trace_state, DROP COLUMN IF EXISTS trace_parent`);
}

type SchemaStep = (runner: QueryRunner, schema: string) => Promise<void>;

/**
 * A migration that one service lists among its own under its own name: TypeORM
 * records the name, and its timestamp orders it. The same steps serve every
 * service's schema.
 */
function perServiceMigration(schema: string, name: string, up: SchemaStep, down: SchemaStep): new () => MigrationInterface {
  return class implements MigrationInterface {
    readonly name = name;

    async up(runner: QueryRunner): Promise<void> {
      await up(runner, schema);
    }

    async down(runner: QueryRunner): Promise<void> {
      await down(runner, schema);
    }
  };
}

/** The migration that adds the outbox trace-context columns to one service's outbox. */
export function outboxTraceContextMigration(schema: string, name: string): new () => MigrationInterface {
  return perServiceMigration(schema, name, addOutboxTraceColumns, dropOutboxTraceColumns);
}

/**
 * The migration that creates one service's Snowflake worker-lease table
 * (WorkerLease). Each service keeps the name it has always had, so a database
 * migrated before this factory existed does not run it again.
 */
export function workerLeaseMigration(schema: string, name: string): new () => MigrationInterface {
  return perServiceMigration(schema, name, createWorkerLeaseTable, dropWorkerLeaseTable);
}
