import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, SERVICE_NAME } from '../config/config.module.js';
import type { DatabaseEnv } from '../config/config.js';
import { LOGGER } from '../logging/logging.module.js';
import type { AppLogger } from '../logging/logger.js';
import { currentCallerId } from '../logging/request-context.js';
import { Metrics } from '../metrics/instruments.js';
import { RecentWrites } from './recent-writes.js';
import { parseLsn, StandbyFreshness } from './standby-freshness.js';

/**
 * Where a read may run. `lag-tolerant`: the standby may serve it (public
 * profiles, another user's posts, follower lists, search), unless the caller
 * wrote within the read-your-own-writes window; `primary`: always the primary
 * (writes' lookups, the caller's own data, anything that feeds a cache).
 */
export type ReadPreference = 'primary' | 'lag-tolerant';

/** Why a lag-tolerant read ran where it did: the `reason` label of database_reads_total. */
type ReadReason = 'lag_tolerant' | 'recent_write' | 'writes_unknown' | 'replica_down' | 'replica_behind' | 'replica_error';

/** A connection to the standby that does not come within this long counts as a failure (then the primary serves). */
const CONNECT_TIMEOUT_MS = 1_000;
/** SQLSTATE classes of a standby that is going away or cannot take more: stop sending it reads until a check succeeds. */
const UNAVAILABLE_STATE = /^(08|53|57P|58)/;
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * Reads that may lag, sent to the Postgres standby when DATABASE_REPLICA_HOST
 * is set (docs/scaling.md, "Postgres standby"); without it every read runs on
 * the primary exactly as `DataSource.query` does. Repositories call
 * `query(sql, params)` where they would call `dataSource.query`.
 *
 * A read goes to the standby only when all of these hold, else to the primary:
 * - the last check of the standby succeeded and no read failed on it since
 *   (a failure opens the breaker: reads go to the primary at once, without a
 *   connect timeout each, until the next check, every
 *   DATABASE_REPLICA_CHECK_INTERVAL_MS, finds it well again);
 * - its data are known to be less than DATABASE_READ_YOUR_WRITES_MS old
 *   (StandbyFreshness);
 * - the caller, if any, has no recent-write marker (RecentWrites): then a read
 *   after the marker expired sees every commit before it was set.
 * A read that fails on the standby runs again on the primary: the client never
 * sees the standby's failure.
 */
@Injectable()
export class DatabaseReads implements OnApplicationShutdown {
  private readonly replica?: { pool: pg.Pool; label: string };
  private readonly freshness = new StandbyFreshness();
  private readonly maxStalenessMs: number;
  private readonly checkIntervalMs: number;
  private up = false;
  /** Bumped on every failure: a check that began before it cannot close the breaker again. */
  private generation = 0;
  private timer?: NodeJS.Timeout;
  private checking = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly recentWrites: RecentWrites,
    @Inject(APP_CONFIG) config: DatabaseEnv,
    @Inject(SERVICE_NAME) service: string,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    this.maxStalenessMs = config.DATABASE_READ_YOUR_WRITES_MS;
    this.checkIntervalMs = config.DATABASE_REPLICA_CHECK_INTERVAL_MS;
    if (config.DATABASE_REPLICA_HOST === undefined) return;
    const pool = new pg.Pool({
      host: config.DATABASE_REPLICA_HOST,
      port: config.DATABASE_REPLICA_PORT,
      database: config.DATABASE_NAME,
      user: config.DATABASE_USER,
      password: config.DATABASE_PASSWORD,
      max: config.DATABASE_REPLICA_POOL_SIZE ?? config.DATABASE_POOL_SIZE,
      application_name: `warble-${service}-replica`,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
      // As on the primary (database.module.ts); the standby also cancels a query that holds up replay too long.
      statement_timeout: 15_000,
    });
    // An idle connection the standby drops (stop, restart) must not crash the process.
    pool.on('error', (error) => this.failed(error));
    this.replica = { pool, label: `${config.DATABASE_REPLICA_HOST}:${config.DATABASE_REPLICA_PORT}` };
  }

  /**
   * The checks start with the first lag-tolerant read, so that a service
   * without any (comments) never connects to the standby; that read and those
   * until the first check has answered go to the primary.
   */
  private startChecks(): void {
    if (!this.replica || this.timer) return;
    Metrics.dbReplicaUp.set({ replica: this.replica.label }, 0);
    // Not awaited: a standby that is away never holds up a read.
    void this.check();
    this.timer = setInterval(() => void this.check(), this.checkIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.replica?.pool.end().catch(() => undefined);
  }

  /** Runs a read where `preference` and the standby's state allow; resolves to the rows, like `DataSource.query`. */
  async query<T = unknown>(sql: string, parameters: unknown[] = [], preference: ReadPreference = 'lag-tolerant'): Promise<T> {
    if (preference === 'primary' || !this.replica) return this.dataSource.query<T>(sql, parameters);
    this.startChecks();
    const reason = await this.route();
    if (reason !== 'lag_tolerant') return this.onPrimary<T>(sql, parameters, reason);
    let rows: T;
    try {
      rows = (await this.replica.pool.query(sql, parameters)).rows as T;
    } catch (error) {
      // A statement the standby itself refused (a replay conflict, a bad value) leaves it in service;
      // a socket error (ECONNREFUSED, no SQLSTATE) or a server going away does not.
      const code = (error as { code?: unknown }).code;
      const sqlState = typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
      if (sqlState === undefined || UNAVAILABLE_STATE.test(sqlState)) this.failed(error);
      else this.logger.debug({ err: error }, 'lag-tolerant read failed on the standby; running it on the primary');
      return this.onPrimary<T>(sql, parameters, 'replica_error');
    }
    Metrics.dbReads.inc({ target: 'replica', reason });
    return rows;
  }

  /** Where a lag-tolerant read of the current caller goes now; 'lag_tolerant' means the standby. */
  private async route(): Promise<ReadReason> {
    if (!this.up) return 'replica_down';
    const staleness = this.freshness.staleness(Date.now());
    if (staleness === undefined || staleness >= this.maxStalenessMs) return 'replica_behind';
    const callerId = currentCallerId();
    if (callerId === undefined) return 'lag_tolerant';
    const wrote = await this.recentWrites.wrote(callerId);
    if (wrote === undefined) return 'writes_unknown';
    return wrote ? 'recent_write' : 'lag_tolerant';
  }

  private async onPrimary<T>(sql: string, parameters: unknown[], reason: ReadReason): Promise<T> {
    Metrics.dbReads.inc({ target: 'primary', reason });
    return this.dataSource.query<T>(sql, parameters);
  }

  /** Opens the breaker: reads go to the primary until a check that starts after now succeeds. */
  private failed(error: unknown): void {
    this.generation++;
    this.freshness.reset();
    if (!this.replica) return;
    Metrics.dbReplicaUp.set({ replica: this.replica.label }, 0);
    // Unknown until the standby answers again: no stale number for the lag alert.
    Metrics.dbReplicaLag.remove({ replica: this.replica.label });
    Metrics.dbReplicaLagBytes.remove({ replica: this.replica.label });
    if (this.up) this.logger.warn({ err: error, replica: this.replica.label }, 'standby unavailable: lag-tolerant reads go to the primary');
    this.up = false;
  }

  /** One measurement: the primary's WAL position, then how far the standby has replayed (StandbyFreshness). */
  async check(): Promise<void> {
    if (!this.replica || this.checking) return;
    this.checking = true;
    const generation = this.generation;
    try {
      const askedAt = Date.now();
      // The primary's failure says nothing about the standby: no measurement this time.
      const primary = await this.dataSource.query<{ lsn: string }[]>('SELECT pg_current_wal_lsn()::text AS lsn').catch(() => undefined);
      if (!primary) return;
      this.freshness.primaryAt(askedAt, parseLsn(primary[0].lsn));
      const { rows } = await this.replica.pool.query<{ recovery: boolean; replayed: string | null }>(
        'SELECT pg_is_in_recovery() AS recovery, pg_last_wal_replay_lsn()::text AS replayed',
      );
      const [standby] = rows;
      if (!standby.recovery || standby.replayed === null) throw new Error('the replica is not a standby in recovery (promoted?)');
      if (generation !== this.generation) return;
      const behind = this.freshness.replayed(parseLsn(standby.replayed));
      const staleness = this.freshness.staleness(Date.now());
      Metrics.dbReplicaLagBytes.set({ replica: this.replica.label }, Number(behind));
      if (staleness !== undefined) Metrics.dbReplicaLag.set({ replica: this.replica.label }, staleness / 1000);
      Metrics.dbReplicaUp.set({ replica: this.replica.label }, 1);
      if (!this.up) this.logger.info({ replica: this.replica.label }, 'standby serves lag-tolerant reads');
      this.up = true;
    } catch (error) {
      this.failed(error);
    } finally {
      this.checking = false;
    }
  }
}
