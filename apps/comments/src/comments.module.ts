import { Module } from '@nestjs/common';
import { UserDirectoryModule } from '@app/domain';
import { DatabaseModule, HealthModule, MessagingModule } from '@app/platform';
import { PostsEventsConsumer } from './consumers/posts-events.consumer.js';
import { CommentsController } from './controllers/comments.controller.js';
import { commentsMigrations } from './migrations/index.js';
import { CommentRepository } from './repositories/comment.repository.js';
import { PostProjectionRepository } from './repositories/post-projection.repository.js';
import { CommentService } from './services/comment.service.js';

export const COMMENTS_DATABASE = { schema: 'comments', entities: [], migrations: commentsMigrations };

@Module({
  imports: [
    DatabaseModule.forService(COMMENTS_DATABASE),
    MessagingModule.forService({ consumerGroup: 'comments' }),
    HealthModule.forDependencies(['postgres', 'kafka']),
    UserDirectoryModule,
  ],
  controllers: [CommentsController, PostsEventsConsumer],
  providers: [CommentRepository, PostProjectionRepository, CommentService],
})
export class CommentsModule {}
