import { Module } from '@nestjs/common';
import { DatabaseModule, HealthModule, MessagingModule, UserDirectoryModule } from '@app/platform';
import { postsMigrations } from './migrations/index.js';

export const POSTS_DATABASE = { schema: 'posts', entities: [], migrations: postsMigrations };

@Module({
  imports: [
    DatabaseModule.forService(POSTS_DATABASE),
    MessagingModule.forService({ consumerGroup: 'posts' }),
    HealthModule.forDependencies(['postgres', 'kafka']),
    UserDirectoryModule,
  ],
})
export class PostsModule {}
