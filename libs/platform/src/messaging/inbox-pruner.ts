import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { KafkaEnv } from '../config/config.js';
import { DB_SCHEMA } from '../database/database.module.js';
import { LOGGER } from '../logging/logging.module.js';
import type { AppLogger } from '../logging/logger.js';

const PRUNE_EVERY_MS = 60 * 60 * 1000;
const BATCH = 5_000;

/**
 * Keeps processed_events from growing forever. Redeliveries come within
 * minutes, so ids older than INBOX_RETENTION_DAYS are no longer needed for
 * deduplication; deleting in small batches keeps locks short.
 */
@Injectable()
export class InboxPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DB_SCHEMA) private readonly schema: string,
    @Inject(APP_CONFIG) private readonly config: KafkaEnv,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.prune().catch((error: unknown) => this.logger.warn({ err: error }, 'inbox: pruning failed')), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Deletes processed-event ids older than the retention; returns how many. */
  async prune(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.dataSource.query<{ n: number }[]>(
        `WITH old AS (
           SELECT event_id FROM "${this.schema}".processed_events
            WHERE processed_at < now() - make_interval(days => $1) LIMIT $2),
         gone AS (
           DELETE FROM "${this.schema}".processed_events p USING old WHERE p.event_id = old.event_id RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [this.config.INBOX_RETENTION_DAYS, BATCH],
      );
      total += rows[0].n;
      if (rows[0].n < BATCH) return total;
    }
  }
}
