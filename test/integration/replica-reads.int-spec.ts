/**
 * Lag-tolerant reads against a real streaming hot standby of the machine's
 * Postgres (scripts/pg-standby.sh, port PG_STANDBY_PORT) and the real Redis:
 * which server serves a read, read-your-own-writes after a caller's
 * transaction, the fallback to the primary while the standby is stopped, and
 * the lag metrics (docs/scaling.md, "Postgres standby").
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  ConfigModule,
  createLogger,
  DatabaseModule,
  DatabaseReads,
  databaseEnv,
  loadConfig,
  LoggingModule,
  Metrics,
  type OutboxRelay,
  RecentWrites,
  REDIS,
  RedisModule,
  type RedisClient,
  redisEnv,
  runWithContext,
  serviceEnv,
  UnitOfWork,
} from '@app/platform';
import pgClient, { type Pool } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { adminPool } from '../support/db.js';
import { setting } from '../support/env.js';
import { eventually } from '../support/eventually.js';

const run = promisify(execFile);
const suffix = randomBytes(4).toString('hex');
const schema = `it_replica_${suffix}`;
const standbyPort = setting('PG_STANDBY_PORT', '5433');
const replicaLabel = `127.0.0.1:${standbyPort}`;
const WINDOW_MS = 1_500;

const standby = (command: 'start' | 'stop' | 'destroy' | 'status') =>
  run('scripts/pg-standby.sh', [command], { env: { ...process.env, PG_STANDBY_PORT: standbyPort }, timeout: 120_000 });

class CreateNotes1764900000001 implements MigrationInterface {
  name = 'CreateNotes1764900000001';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "${schema}".notes (id bigint PRIMARY KEY, body text NOT NULL)`);
  }
  async down(): Promise<void> {}
}

/** Where a read ran, and whether it saw the note. */
const WHERE = (table: string) => `SELECT pg_is_in_recovery() AS "onStandby", EXISTS (SELECT 1 FROM ${table} WHERE id = $1) AS found`;
type Where = { onStandby: boolean; found: boolean }[];

async function readsCounted(target: string, reason: string): Promise<number> {
  const metric = await Metrics.dbReads.get();
  return metric.values.find((value) => value.labels.target === target && value.labels.reason === reason)?.value ?? 0;
}

async function gauge(metric: typeof Metrics.dbReplicaLag): Promise<number | undefined> {
  return (await metric.get()).values.find((value) => value.labels.replica === replicaLabel)?.value;
}

describe('lag-tolerant reads on a real Postgres standby', () => {
  let moduleRef: TestingModule;
  /** Another service's process: no REDIS of its own (like graph), so its markers come over a connection of RecentWrites'. */
  let otherRef: TestingModule;
  let reads: DatabaseReads;
  let otherReads: DatabaseReads;
  let unitOfWork: UnitOfWork;
  let redis: RedisClient;
  let db: Pool;
  let createdStandby = false;
  let id = 0;
  const table = `"${schema}".notes`;
  const nextId = () => String(Date.now() * 100 + (id++ % 100));

  beforeAll(async () => {
    createdStandby = !existsSync('.run/pg-standby/data/PG_VERSION');
    await standby('start');
    db = adminPool();
    await db.query(`CREATE SCHEMA "${schema}"`);
    const config = loadConfig(serviceEnv.extend(databaseEnv.shape).extend(redisEnv.shape), {
      PORT: '1',
      WORKER_ID: '1',
      DATABASE_HOST: setting('DATABASE_HOST', '127.0.0.1'),
      DATABASE_PORT: setting('DATABASE_PORT', '5432'),
      DATABASE_NAME: setting('DATABASE_NAME', 'warble'),
      DATABASE_USER: 'postgres',
      DATABASE_REPLICA_HOST: '127.0.0.1',
      DATABASE_REPLICA_PORT: standbyPort,
      DATABASE_READ_YOUR_WRITES_MS: String(WINDOW_MS),
      DATABASE_REPLICA_CHECK_INTERVAL_MS: '200',
      REDIS_URL: setting('REDIS_URL', 'redis://127.0.0.1:6379'),
      REDIS_CLUSTER_NODES: setting('REDIS_CLUSTER_NODES', ''),
    });
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forValue('it-replica', config),
        LoggingModule.forLogger(createLogger('it-replica', 'silent')),
        RedisModule,
        DatabaseModule.forService({ schema, entities: [], migrations: [CreateNotes1764900000001] }),
      ],
    }).compile();
    await moduleRef.init();
    otherRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forValue('it-replica-other', config),
        LoggingModule.forLogger(createLogger('it-replica-other', 'silent')),
        DatabaseModule.forService({ schema, entities: [], migrations: [CreateNotes1764900000001] }),
      ],
    }).compile();
    await otherRef.init();
    otherReads = otherRef.get(DatabaseReads);
    reads = moduleRef.get(DatabaseReads);
    redis = moduleRef.get<RedisClient>(REDIS);
    // The transaction wrapper the services write through; this suite publishes no events, so no relay runs.
    const relay = { wake: () => undefined } as unknown as OutboxRelay;
    unitOfWork = new UnitOfWork(moduleRef.get(DataSource), schema, 'users', relay, moduleRef.get(RecentWrites));
  });

  afterAll(async () => {
    await moduleRef?.close();
    await otherRef?.close();
    await db?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db?.end();
    // Leave the machine as found: a standby this suite made goes again, one that was there runs on.
    if (createdStandby) await standby('destroy');
    else await standby('start');
  });

  it('serves lag-tolerant reads from the standby and exports how far behind it is', async () => {
    const note = nextId();
    await db.query(`INSERT INTO ${table} (id, body) VALUES ($1, 'public')`, [note]);
    const before = await readsCounted('replica', 'lag_tolerant');
    // Once a check has measured it, an anonymous read runs on the standby and sees what the primary committed.
    const [row] = await eventually(async () => {
      const rows = await reads.query<Where>(WHERE(table), [note]);
      return rows[0]?.onStandby && rows[0].found ? rows : undefined;
    }, { timeoutMs: 20_000, what: 'a read on the standby' });
    expect(row).toEqual({ onStandby: true, found: true });
    expect(await readsCounted('replica', 'lag_tolerant')).toBeGreaterThan(before);
    // The same read asked for the primary runs there.
    expect(await reads.query<Where>(WHERE(table), [note], 'primary')).toEqual([{ onStandby: false, found: true }]);

    // (Both processes of this suite report under the one label; the later-booted one may not have checked yet.)
    await eventually(async () => ((await gauge(Metrics.dbReplicaUp)) === 1 ? true : undefined), { what: 'database_replica_up 1' });
    const lag = await gauge(Metrics.dbReplicaLag);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(WINDOW_MS / 1000);
    expect(await gauge(Metrics.dbReplicaLagBytes)).toBeGreaterThanOrEqual(0);
  });

  it("reads a caller's own write from the primary right after it, and from the standby once the window has passed", async () => {
    const caller = `7${randomBytes(5).readUIntBE(0, 5)}`;
    const note = nextId();
    await runWithContext({ requestId: `it-${suffix}`, callerId: caller }, async () => {
      // A caller without a recent write reads from the standby (once this process's Redis
      // connection has been up for a whole window: markers set while it was away could be missing).
      for (const where of [reads, otherReads]) {
        await eventually(async () => ((await where.query<Where>(WHERE(table), ['0']))[0]?.onStandby ? true : undefined), {
          timeoutMs: WINDOW_MS + 10_000,
          what: "the caller's read on the standby before the write",
        });
      }
      await unitOfWork.run((tx) => tx.manager.query(`INSERT INTO ${table} (id, body) VALUES ($1, 'mine')`, [note]));
      // The marker every replica of every service consults lives for the window.
      const ttl = await redis.pttl(RecentWrites.key(caller));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(WINDOW_MS);
      const recentBefore = await readsCounted('primary', 'recent_write');
      expect(await reads.query<Where>(WHERE(table), [note])).toEqual([{ onStandby: false, found: true }]);
      // ...and so does the other service's process, which only shares Redis with the writer.
      expect(await otherReads.query<Where>(WHERE(table), [note])).toEqual([{ onStandby: false, found: true }]);
      expect(await readsCounted('primary', 'recent_write')).toBe(recentBefore + 2);

      // After the marker expired the standby may serve the caller again, and it has the write.
      await eventually(async () => ((await redis.exists(RecentWrites.key(caller))) === 0 ? true : undefined), { timeoutMs: WINDOW_MS + 2_000, what: 'the marker to expire' });
      const [later] = await eventually(async () => {
        const rows = await reads.query<Where>(WHERE(table), [note]);
        return rows[0]?.onStandby ? rows : undefined;
      }, { timeoutMs: 10_000, what: "the caller's read on the standby after the window" });
      expect(later).toEqual({ onStandby: true, found: true });
    });
  });

  it('keeps answering from the primary, without errors, while the standby is stopped, and returns to it when it is back', async () => {
    const note = nextId();
    await db.query(`INSERT INTO ${table} (id, body) VALUES ($1, 'during the outage')`, [note]);
    // (An anonymous read may lag: the note is on the standby a moment after its commit.)
    await eventually(async () => {
      const [row] = await reads.query<Where>(WHERE(table), [note]);
      return row?.onStandby && row.found ? true : undefined;
    }, { timeoutMs: 20_000, what: 'the standby serving the note before the outage' });

    // Readers run while the standby is stopped, two of them with reads that take 200 ms (so that
    // the stop cuts some in flight); every read must succeed.
    const failures: unknown[] = [];
    const served = { standby: 0, primary: 0 };
    let reading = true;
    const reader = async (sql: string) => {
      while (reading) {
        try {
          const [row] = await reads.query<Where>(sql, [note]);
          if (!row.found) failures.push(new Error('the note was not found'));
          served[row.onStandby ? 'standby' : 'primary']++;
        } catch (error) {
          failures.push(error);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const slow = `${WHERE(table)} FROM pg_sleep(0.2)`;
    const readers = [reader(WHERE(table)), reader(WHERE(table)), reader(slow), reader(slow)];
    const cutBefore = await readsCounted('primary', 'replica_error');
    // One read surely in flight on the standby when it stops: it must come back from the primary.
    const cut = reads.query<Where>(`${WHERE(table)} FROM pg_sleep(3)`, [note]);
    const standbyAdmin = new pgClient.Client({ host: '127.0.0.1', port: Number(standbyPort), user: 'postgres', database: 'postgres' });
    await standbyAdmin.connect();
    try {
      await eventually(async () => {
        const { rows } = await standbyAdmin.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(3)%' AND pid <> pg_backend_pid()",
        );
        return rows[0].n > 0 ? true : undefined;
      }, { timeoutMs: 5_000, what: 'the long read running on the standby' });
    } finally {
      await standbyAdmin.end();
    }
    await standby('stop');
    expect(await cut).toEqual([{ onStandby: false, found: true }]);
    const downBefore = await readsCounted('primary', 'replica_down');
    const primaryBefore = served.primary;
    // The breaker is open: reads go straight to the primary without trying the standby.
    await eventually(async () => (served.primary > primaryBefore + 20 && (await readsCounted('primary', 'replica_down')) > downBefore + 20 ? true : undefined), {
      timeoutMs: 10_000,
      what: 'reads on the primary while the standby is stopped',
    });
    reading = false;
    await Promise.all(readers);

    expect(failures).toEqual([]);
    // Reads the stop cut off on the standby ran again on the primary.
    expect(await readsCounted('primary', 'replica_error')).toBeGreaterThan(cutBefore);
    expect(await gauge(Metrics.dbReplicaUp)).toBe(0);
    const started = Date.now();
    for (let i = 0; i < 20; i++) expect(await reads.query<Where>(WHERE(table), [note])).toEqual([{ onStandby: false, found: true }]);
    expect(Date.now() - started).toBeLessThan(2_000);

    await standby('start');
    await eventually(async () => ((await reads.query<Where>(WHERE(table), [note]))[0]?.onStandby ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the standby serving again after its restart',
    });
    await eventually(async () => ((await gauge(Metrics.dbReplicaUp)) === 1 ? true : undefined), { what: 'database_replica_up 1 again' });
  });
});
