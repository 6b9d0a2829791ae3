import { Inject, Injectable } from '@nestjs/common';
import type { EventData } from '@app/contracts';
import { APP_CONFIG, type Transaction } from '@app/platform';
import type { EntityManager } from 'typeorm';
import type { PostsConfig } from '../../config/posts.config.js';
import { padId } from '../repositories/feed-members.js';
import { FeedStore } from '../repositories/feed.store.js';
import { FeedSourceRepository } from '../repositories/feed-source.repository.js';
import { FollowRepository } from '../repositories/follow.repository.js';
import { FanOutService } from './fan-out.service.js';

/**
 * Redis work that follows from a follow change. The consumer runs it inside
 * the inbox handler (so a failure retries the event) and once more after the
 * commit: a feed rebuilt or a celebrity list cached between the two saw the
 * old edge, and the second run corrects it. Every step is idempotent.
 */
export type FeedEffect = (manager: EntityManager) => Promise<void>;

const NO_EFFECT: FeedEffect = () => Promise.resolve();

/** posts' copy of the follow graph (graph.events.v1) and what it changes in home feeds. */
@Injectable()
export class FollowProjection {
  constructor(
    private readonly follows: FollowRepository,
    private readonly sources: FeedSourceRepository,
    private readonly feeds: FeedStore,
    private readonly fanOut: FanOutService,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
  ) {}

  /** The followee's recent posts join the follower's feed; a followee who just became a celebrity is merged at read time from now on. */
  async onFollowed(data: EventData<'user.followed'>, tx: Transaction): Promise<FeedEffect> {
    const followers = await this.follows.add(tx.manager, data.followerId, data.followeeId, data.at);
    if (followers === undefined) return NO_EFFECT;
    const becameCelebrity = followers === this.config.FEED_CELEBRITY_THRESHOLD + 1;
    const effect: FeedEffect = async (manager) => {
      const recent = await this.recentPosts(data.followeeId, manager);
      await this.feeds.add([data.followerId], recent, { abortBuild: true });
      await this.feeds.forgetCelebrities([data.followerId]);
      if (becameCelebrity) await this.fanOut.forEachFollowerBatch(data.followeeId, manager, (batch) => this.feeds.forgetCelebrities(batch));
    };
    await effect(tx.manager);
    return effect;
  }

  /**
   * The followee's posts leave the follower's feed. A celebrity who drops to
   * the threshold is fanned out again from now on, so the posts that were
   * only merged at read time go into the remaining followers' feeds.
   */
  async onUnfollowed(data: EventData<'user.unfollowed'>, tx: Transaction): Promise<FeedEffect> {
    const followers = await this.follows.remove(tx.manager, data.followerId, data.followeeId);
    if (followers === undefined) return NO_EFFECT;
    const wasCelebrity = followers === this.config.FEED_CELEBRITY_THRESHOLD;
    const effect: FeedEffect = async (manager) => {
      const recent = await this.recentPosts(data.followeeId, manager);
      if (wasCelebrity) {
        await this.fanOut.forEachFollowerBatch(data.followeeId, manager, async (batch) => {
          const others = batch.filter((id) => id !== data.followerId);
          await this.feeds.add(others, recent);
          await this.feeds.forgetCelebrities(others);
        });
      }
      await this.feeds.remove([data.followerId], recent);
      await this.feeds.forgetCelebrities([data.followerId]);
    };
    await effect(tx.manager);
    return effect;
  }

  /** As many of the author's newest posts as a feed can hold. */
  private async recentPosts(authorId: string, manager: EntityManager): Promise<string[]> {
    const byAuthor = await this.sources.recentIdsByAuthors([authorId], this.config.FEED_MAX_LENGTH, manager);
    return (byAuthor.get(authorId) ?? []).map(padId);
  }
}
