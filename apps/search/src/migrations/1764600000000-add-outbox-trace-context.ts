import { addOutboxTraceColumns, dropOutboxTraceColumns } from '@app/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Trace context of the writer on each outbox row, sent by the relay as Kafka headers. */
export class AddSearchOutboxTraceContext1764600000000 implements MigrationInterface {
  name = 'AddSearchOutboxTraceContext1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    await addOutboxTraceColumns(runner, 'search');
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropOutboxTraceColumns(runner, 'search');
  }
}
