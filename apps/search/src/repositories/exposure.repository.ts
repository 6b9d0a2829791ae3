import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface ExposureRow {
  experiment: string;
  /** `user:<id>` or `anonymous:<hash>`. */
  subject: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  variant: string;
  exposedAt: Date;
}

/** search.experiment_exposures: which first exposures were already recorded. */
@Injectable()
export class ExposureRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** True when this is the first exposure of the subject to the variant on that day (the row is new). */
  async insertFirst(manager: EntityManager, row: ExposureRow): Promise<boolean> {
    const inserted = await manager.query<unknown[]>(
      `INSERT INTO search.experiment_exposures (experiment, subject, day, variant, exposed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [row.experiment, row.subject, row.day, row.variant, row.exposedAt],
    );
    return inserted.length > 0;
  }

  /** Deletes rows of days before `day` (no longer needed to keep exposures single); returns how many. */
  async pruneBefore(day: string): Promise<number> {
    const rows = await this.dataSource.query<{ n: number }[]>(
      `WITH gone AS (DELETE FROM search.experiment_exposures WHERE day < $1::date RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [day],
    );
    return rows[0].n;
  }
}
