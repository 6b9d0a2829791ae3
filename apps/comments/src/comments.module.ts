import { Module } from '@nestjs/common';
import { UserDirectoryModule } from '@app/domain';
import { APP_CONFIG, DatabaseModule, HealthModule, MessagingModule } from '@app/platform';
import type { CommentsConfig } from './config/comments.config.js';
import { PostsEventsConsumer } from './consumers/posts-events.consumer.js';
import { CommentsController } from './controllers/comments.controller.js';
import { commentsMigrations } from './migrations/index.js';
import { CommentRepository } from './repositories/comment.repository.js';
import { PostOwnerClient } from './repositories/post-owner.client.js';
import { PostProjectionRepository } from './repositories/post-projection.repository.js';
import { CommentService } from './services/comment.service.js';
import { KnownPosts } from './services/known-posts.service.js';
import { PostArrivals } from './services/post-arrivals.js';

export const COMMENTS_DATABASE = { schema: 'comments', entities: [], migrations: commentsMigrations };

@Module({
  imports: [
    DatabaseModule.forService(COMMENTS_DATABASE),
    MessagingModule.forService({ consumerGroup: 'comments' }),
    HealthModule.forDependencies(['postgres', 'kafka']),
    UserDirectoryModule,
  ],
  controllers: [CommentsController, PostsEventsConsumer],
  providers: [
    CommentRepository,
    PostProjectionRepository,
    PostOwnerClient,
    CommentService,
    KnownPosts,
    { provide: PostArrivals, inject: [APP_CONFIG], useFactory: (config: CommentsConfig) => new PostArrivals(config.COMMENTS_POST_WAITERS_MAX) },
  ],
})
export class CommentsModule {}
