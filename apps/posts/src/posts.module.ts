import { Module } from '@nestjs/common';
import { UserDirectoryModule } from '@app/domain';
import { DatabaseModule, HealthModule, MessagingModule, RedisModule } from '@app/platform';
import { CommentsCountModule } from './comments-count/comments-count.module.js';
import { FeedModule } from './feed/feed.module.js';
import { LikesModule } from './likes/likes.module.js';
import { postsMigrations } from './migrations/index.js';
import { PostViewsModule } from './post-views/post-views.module.js';
import { PostsFeatureModule } from './posts/posts-feature.module.js';

export const POSTS_DATABASE = { schema: 'posts', entities: [], migrations: postsMigrations };

/**
 * The posts service: the platform modules it configures once, then one
 * module per feature, each in its own folder with its controllers,
 * consumers, services and repositories.
 */
@Module({
  imports: [
    DatabaseModule.forService(POSTS_DATABASE),
    MessagingModule.forService({ consumerGroup: 'posts' }),
    RedisModule,
    HealthModule.forDependencies(['postgres', 'kafka'], ['redis']),
    // users.events.v1 into posts.user_directory (authors' names).
    UserDirectoryModule,
    PostsFeatureModule,
    LikesModule,
    FeedModule,
    CommentsCountModule,
    PostViewsModule,
  ],
})
export class PostsModule {}
