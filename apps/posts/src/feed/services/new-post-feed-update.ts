import { Injectable } from '@nestjs/common';
import { padId } from '../repositories/feed-members.js';
import { FeedStore } from '../repositories/feed.store.js';
import { CelebrityPosts } from './celebrity-posts.js';

/**
 * What the feed does at once when a post is created (the fan-out to
 * followers comes later, from post.created): the post goes into the
 * author's own feed, so that authors read their own writes (the fan-out adds
 * it there again, harmlessly), and the author's cached recent ids are
 * dropped, so that a celebrity's followers see the post on their next read.
 */
@Injectable()
export class NewPostFeedUpdate {
  constructor(
    private readonly feeds: FeedStore,
    private readonly celebrityPosts: CelebrityPosts,
  ) {}

  async postCreated(post: { id: string; authorId: string }): Promise<void> {
    await Promise.all([this.celebrityPosts.forget(post.authorId), this.feeds.add([post.authorId], [padId(post.id)])]);
  }
}
