import { createUserDirectoryTable } from '@app/domain';
import { createMessagingTables, dropMessagingTables } from '@app/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox, processed events and the graph service's own user directory. */
export class CreateGraphBase1764300000000 implements MigrationInterface {
  name = 'CreateGraphBase1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await createMessagingTables(runner, 'graph');
    await createUserDirectoryTable(runner, 'graph');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE graph.user_directory');
    await dropMessagingTables(runner, 'graph');
  }
}
