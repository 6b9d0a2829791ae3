import { Module } from '@nestjs/common';
import { DatabaseModule, HealthModule, MessagingModule, RedisModule, UserDirectoryModule } from '@app/platform';
import { CommentsEventsConsumer } from './consumers/comments-events.consumer.js';
import { FanOutConsumer } from './consumers/fan-out.consumer.js';
import { GraphEventsConsumer } from './consumers/graph-events.consumer.js';
import { FeedController } from './controllers/feed.controller.js';
import { PostsController } from './controllers/posts.controller.js';
import { UserPostsController } from './controllers/user-posts.controller.js';
import { postsMigrations } from './migrations/index.js';
import { CelebrityPostsCache } from './repositories/celebrity-posts.cache.js';
import { CommentCountRepository } from './repositories/comment-count.repository.js';
import { FeedStore } from './repositories/feed.store.js';
import { FollowRepository } from './repositories/follow.repository.js';
import { LikeRepository } from './repositories/like.repository.js';
import { PostCache } from './repositories/post.cache.js';
import { PostRepository } from './repositories/post.repository.js';
import { AuthorCache } from './services/author-cache.js';
import { FanOutService } from './services/fan-out.service.js';
import { CelebrityPosts } from './services/celebrity-posts.js';
import { FeedReader } from './services/feed-reader.service.js';
import { FollowProjection } from './services/follow-projection.service.js';
import { LikeService } from './services/like.service.js';
import { PostHydrator } from './services/post-hydrator.js';
import { PostPageJson } from './services/post-page-json.js';
import { PostReader } from './services/post-reader.service.js';
import { PostWriter } from './services/post-writer.service.js';

export const POSTS_DATABASE = { schema: 'posts', entities: [], migrations: postsMigrations };

@Module({
  imports: [
    DatabaseModule.forService(POSTS_DATABASE),
    MessagingModule.forService({ consumerGroup: 'posts' }),
    RedisModule,
    HealthModule.forDependencies(['postgres', 'kafka', 'redis']),
    UserDirectoryModule,
  ],
  controllers: [PostsController, UserPostsController, FeedController, FanOutConsumer, GraphEventsConsumer, CommentsEventsConsumer],
  providers: [
    PostRepository,
    LikeRepository,
    FollowRepository,
    CommentCountRepository,
    FeedStore,
    PostCache,
    CelebrityPostsCache,
    AuthorCache,
    PostHydrator,
    PostPageJson,
    PostWriter,
    LikeService,
    PostReader,
    CelebrityPosts,
    FeedReader,
    FanOutService,
    FollowProjection,
  ],
})
export class PostsModule {}
