import { Module } from '@nestjs/common';
import { UserDirectoryModule } from '@app/domain';
import { FeedModule } from '../feed/feed.module.js';
import { PostViewsModule } from '../post-views/post-views.module.js';
import { PostsController } from './controllers/posts.controller.js';
import { UserPostsController } from './controllers/user-posts.controller.js';
import { PostReader } from './services/post-reader.service.js';
import { PostWriter } from './services/post-writer.service.js';

/** Creating, reading and deleting posts (`/posts`), and authors' timelines (`/users/{username}/posts`). */
@Module({
  imports: [PostViewsModule, FeedModule, UserDirectoryModule],
  controllers: [PostsController, UserPostsController],
  providers: [PostWriter, PostReader],
})
export class PostsFeatureModule {}
