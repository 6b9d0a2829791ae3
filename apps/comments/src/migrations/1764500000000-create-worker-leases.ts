import { createWorkerLeaseTable } from '@app/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Snowflake worker ids leased per process, so replicas never share one. */
export class CreateCommentsWorkerLeases1764500000000 implements MigrationInterface {
  name = 'CreateCommentsWorkerLeases1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await createWorkerLeaseTable(runner, 'comments');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE comments.worker_leases');
  }
}
