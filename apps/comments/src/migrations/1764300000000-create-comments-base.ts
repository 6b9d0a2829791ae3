import { createUserDirectoryTable } from '@app/domain';
import { createMessagingTables, dropMessagingTables } from '@app/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox, processed events and the comments service's own user directory. */
export class CreateCommentsBase1764300000000 implements MigrationInterface {
  name = 'CreateCommentsBase1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await createMessagingTables(runner, 'comments');
    await createUserDirectoryTable(runner, 'comments');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE comments.user_directory');
    await dropMessagingTables(runner, 'comments');
  }
}
