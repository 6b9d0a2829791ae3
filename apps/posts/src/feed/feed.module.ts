import { Module } from '@nestjs/common';
import { PostViewsModule } from '../post-views/post-views.module.js';
import { FanOutConsumer } from './consumers/fan-out.consumer.js';
import { GraphEventsConsumer } from './consumers/graph-events.consumer.js';
import { FeedController } from './controllers/feed.controller.js';
import { CelebrityPostsCache } from './repositories/celebrity-posts.cache.js';
import { FeedSourceRepository } from './repositories/feed-source.repository.js';
import { FeedStore } from './repositories/feed.store.js';
import { FollowRepository } from './repositories/follow.repository.js';
import { CelebrityPosts } from './services/celebrity-posts.js';
import { FanOutService } from './services/fan-out.service.js';
import { FeedReader } from './services/feed-reader.service.js';
import { FollowProjection } from './services/follow-projection.service.js';
import { NewPostFeedUpdate } from './services/new-post-feed-update.js';

/**
 * The home feed (`GET /feed`, docs/architecture.md, "The home feed"): Redis
 * feeds filled by the fan-out of post.created, posts' copy of the follow
 * graph from graph.events.v1, and the read-time merge of celebrities' posts.
 * Exports only what creating a post changes at once.
 */
@Module({
  imports: [PostViewsModule],
  controllers: [FeedController, FanOutConsumer, GraphEventsConsumer],
  providers: [FeedStore, FollowRepository, FeedSourceRepository, CelebrityPostsCache, CelebrityPosts, FeedReader, FanOutService, FollowProjection, NewPostFeedUpdate],
  exports: [NewPostFeedUpdate],
})
export class FeedModule {}
