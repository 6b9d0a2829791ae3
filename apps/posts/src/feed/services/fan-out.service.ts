import { Inject, Injectable } from '@nestjs/common';
import type { EventData } from '@app/contracts';
import { APP_CONFIG, Metrics, type Transaction } from '@app/platform';
import type { EntityManager } from 'typeorm';
import type { PostsConfig } from '../../config/posts.config.js';
import { padId } from '../repositories/feed-members.js';
import { FeedStore } from '../repositories/feed.store.js';
import { FollowRepository } from '../repositories/follow.repository.js';

/**
 * Fan-out on write (post.created): the post id goes into the author's own
 * feed and, unless the author is a celebrity, into every follower's feed
 * that exists. The Redis writes run inside the inbox handler, before the
 * event counts as processed: a crash mid-way redelivers the event and the
 * fan-out runs again (adding a member twice is harmless).
 */
@Injectable()
export class FanOutService {
  constructor(
    private readonly feeds: FeedStore,
    private readonly follows: FollowRepository,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
  ) {}

  async onPostCreated(data: EventData<'post.created'>, tx: Transaction): Promise<void> {
    const member = padId(data.postId);
    await this.feeds.add([data.authorId], [member]);
    // Celebrities' posts are merged into their followers' pages at read time instead.
    const celebrity = (await this.follows.followerCount(data.authorId, tx.manager)) > this.config.FEED_CELEBRITY_THRESHOLD;
    if (!celebrity) await this.forEachFollowerBatch(data.authorId, tx.manager, (followers) => this.feeds.add(followers, [member]));
    Metrics.feedFanoutDelay.observe({ kind: celebrity ? 'celebrity' : 'ordinary' }, (Date.now() - Date.parse(data.createdAt)) / 1000);
  }

  /** Runs `work` on an author's followers, one keyset batch (and one Redis pipeline) at a time. */
  async forEachFollowerBatch(authorId: string, manager: EntityManager, work: (followers: string[]) => Promise<void>): Promise<void> {
    const size = this.config.FEED_FANOUT_BATCH_SIZE;
    for (let after = '0'; ; ) {
      const followers = await this.follows.followers(authorId, after, size, manager);
      if (followers.length > 0) await work(followers);
      if (followers.length < size) return;
      after = followers[followers.length - 1];
    }
  }
}
