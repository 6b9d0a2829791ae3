import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import { DataSource } from 'typeorm';
import { DB_SCHEMA } from './db-schema.token.js';
import { LOGGER } from '../logging/logging.module.js';
import type { AppLogger } from '../logging/logger.js';

const LEASE_SECONDS = 60;
const RENEW_EVERY_MS = 15_000;
const MAX_WORKER = 1023;

/**
 * A Snowflake worker id leased from the service's own database, so that any
 * number of replicas of one service never share an id (a fixed WORKER_ID
 * per Deployment would). The lease is renewed while the process runs; a
 * process that cannot renew it before it expires stops, rather than risk
 * making ids another replica may make too.
 */
@Injectable()
export class WorkerLease implements OnApplicationShutdown {
  private workerId?: number;
  private timer?: NodeJS.Timeout;
  private renewedAt = 0;
  private readonly holder = `${hostname()}:${process.pid}:${Date.now()}`;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DB_SCHEMA) private readonly schema: string,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  /** The lowest free (or expired) id; retries when another replica took it at the same moment. */
  async acquire(): Promise<number> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const rows = await this.dataSource.query<{ workerId: number }[]>(
        `INSERT INTO "${this.schema}".worker_leases (worker_id, holder, expires_at)
         SELECT g, $1, now() + make_interval(secs => $2)
           FROM generate_series(0, $3) g
          WHERE NOT EXISTS (SELECT 1 FROM "${this.schema}".worker_leases l WHERE l.worker_id = g AND l.expires_at > now())
          ORDER BY g LIMIT 1
         ON CONFLICT (worker_id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
          WHERE "${this.schema}".worker_leases.expires_at <= now()
         RETURNING worker_id AS "workerId"`,
        [this.holder, LEASE_SECONDS, MAX_WORKER],
      );
      if (rows.length === 1) {
        this.workerId = rows[0].workerId;
        this.renewedAt = Date.now();
        this.timer = setInterval(() => void this.keepLease(), RENEW_EVERY_MS);
        this.timer.unref();
        this.logger.info({ workerId: this.workerId }, 'worker id leased');
        return this.workerId;
      }
    }
    throw new Error('no Snowflake worker id is free (1024 leased)');
  }

  /** Extends the lease; true while it is still ours. Called every RENEW_EVERY_MS. */
  async renew(): Promise<boolean> {
    // A CTE: TypeORM returns [rows, count] for a bare UPDATE … RETURNING.
    const rows = await this.dataSource.query<unknown[]>(
      `WITH renewed AS (
         UPDATE "${this.schema}".worker_leases SET expires_at = now() + make_interval(secs => $3)
          WHERE worker_id = $1 AND holder = $2 RETURNING worker_id)
       SELECT worker_id FROM renewed`,
      [this.workerId, this.holder, LEASE_SECONDS],
    );
    if (rows.length === 1) this.renewedAt = Date.now();
    return rows.length === 1;
  }

  private async keepLease(): Promise<void> {
    try {
      if (await this.renew()) return;
      this.logger.fatal({ workerId: this.workerId }, 'worker id lease lost; stopping so that no id is made twice');
    } catch (error) {
      // A short database outage is survivable: the lease outlives a few missed renewals.
      const unrenewedMs = Date.now() - this.renewedAt;
      if (unrenewedMs < (LEASE_SECONDS * 1000) / 2) {
        this.logger.warn({ err: error, workerId: this.workerId }, 'worker id lease renewal failed');
        return;
      }
      this.logger.fatal({ err: error, workerId: this.workerId, unrenewedMs }, 'worker id lease about to expire; stopping so that no id is made twice');
    }
    process.kill(process.pid, 'SIGTERM');
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    if (this.workerId === undefined) return;
    await this.dataSource
      .query(`DELETE FROM "${this.schema}".worker_leases WHERE worker_id = $1 AND holder = $2`, [this.workerId, this.holder])
      .catch(() => undefined);
  }
}

/** The lease table of one service's schema (made by workerLeaseMigration). */
export async function createWorkerLeaseTable(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`
    CREATE TABLE "${schema}".worker_leases (
      worker_id  integer PRIMARY KEY CHECK (worker_id BETWEEN 0 AND ${MAX_WORKER}),
      holder     text        NOT NULL,
      expires_at timestamptz NOT NULL
    )`);
}

export async function dropWorkerLeaseTable(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`DROP TABLE "${schema}".worker_leases`);
}
