import { Module } from '@nestjs/common';
import { PostViewsModule } from '../post-views/post-views.module.js';
import { CommentsEventsConsumer } from './consumers/comments-events.consumer.js';
import { CommentCountRepository } from './repositories/comment-count.repository.js';

/** Each post's comment_count, kept from comments.events.v1 (and written to the post cache after each commit). */
@Module({
  imports: [PostViewsModule],
  controllers: [CommentsEventsConsumer],
  providers: [CommentCountRepository],
})
export class CommentsCountModule {}
