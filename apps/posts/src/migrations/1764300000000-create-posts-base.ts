import { createUserDirectoryTable } from '@app/domain';
import { createMessagingTables, dropMessagingTables } from '@app/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox, processed events and the posts service's own user directory. */
export class CreatePostsBase1764300000000 implements MigrationInterface {
  name = 'CreatePostsBase1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await createMessagingTables(runner, 'posts');
    await createUserDirectoryTable(runner, 'posts');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE posts.user_directory');
    await dropMessagingTables(runner, 'posts');
  }
}
