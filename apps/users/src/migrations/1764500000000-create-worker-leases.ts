import { createWorkerLeaseTable } from '@app/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Snowflake worker ids leased per process, so replicas never share one. */
export class CreateUsersWorkerLeases1764500000000 implements MigrationInterface {
  name = 'CreateUsersWorkerLeases1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await createWorkerLeaseTable(runner, 'users');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE users.worker_leases');
  }
}
