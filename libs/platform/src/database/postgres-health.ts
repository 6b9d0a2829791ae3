import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HealthCheck } from '../health/health-check.js';
import { Metrics, onScrape } from '../metrics/instruments.js';

interface PgPoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

@Injectable()
export class PostgresHealthCheck implements HealthCheck, OnModuleInit {
  readonly name = 'postgres';
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    // pg's pool counters, read at scrape time.
    onScrape(() => {
      const pool = (this.dataSource.driver as unknown as { master?: PgPoolCounts }).master;
      if (!pool) return;
      Metrics.dbPool.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      Metrics.dbPool.set({ state: 'idle' }, pool.idleCount);
      Metrics.dbPool.set({ state: 'waiting' }, pool.waitingCount);
    });
  }

  async check(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
