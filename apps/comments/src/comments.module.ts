import { Module } from '@nestjs/common';
import { DatabaseModule, HealthModule, MessagingModule, UserDirectoryModule } from '@app/platform';
import { commentsMigrations } from './migrations/index.js';

export const COMMENTS_DATABASE = { schema: 'comments', entities: [], migrations: commentsMigrations };

@Module({
  imports: [
    DatabaseModule.forService(COMMENTS_DATABASE),
    MessagingModule.forService({ consumerGroup: 'comments' }),
    HealthModule.forDependencies(['postgres', 'kafka']),
    UserDirectoryModule,
  ],
})
export class CommentsModule {}
