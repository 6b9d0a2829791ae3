import { Inject, Injectable } from '@nestjs/common';
import { encodeIdCursor, type Page, type PostView } from '@app/api';
import { APP_CONFIG, type AppLogger, type Caller, LOGGER, Metrics } from '@app/platform';
import type { PostsConfig } from '../config/posts.config.js';
import { type FeedChunk, FeedStore, type FeedState } from '../repositories/feed.store.js';
import { FollowRepository } from '../repositories/follow.repository.js';
import { PostRepository } from '../repositories/post.repository.js';
import { type IdChunk, mergeChunks, padId, takeBelow, unpadId } from './feed-ids.js';
import { CelebrityPosts } from './celebrity-posts.js';
import { cursorId } from './page-cursor.js';
import { PostHydrator } from './post-hydrator.js';

/** Extra ids read per step, so that a few deleted posts do not cost a second round trip. */
const SLACK = 4;
/** What the page reads when Redis does not answer: everything comes from Postgres. */
type FeedHead = Omit<FeedChunk, 'state'> & { state: FeedState | 'unavailable' };
const REDIS_DOWN: FeedHead = { state: 'unavailable', ids: [], last: true, celebrities: undefined, generation: '' };

/**
 * `GET /feed`: the reader's Redis feed merged at read time with the recent
 * posts of the celebrities they follow (who are not fanned out), newest
 * first, keyset-paginated on post id so pages have neither gaps nor
 * duplicates while new posts arrive. A missing feed is rebuilt from Postgres.
 */
@Injectable()
export class FeedReader {
  constructor(
    private readonly feeds: FeedStore,
    private readonly posts: PostRepository,
    private readonly follows: FollowRepository,
    private readonly celebrityPosts: CelebrityPosts,
    private readonly hydrator: PostHydrator,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  async page(viewer: Caller, limit: number, cursor: string | undefined): Promise<Page<PostView>> {
    const before = cursorId(cursor);
    const want = limit + 1;
    let below = before === undefined ? undefined : padId(before);
    let count = want + SLACK;

    const head: FeedHead = await this.feeds.read(viewer.id, below, count).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'feed: Redis read failed; reading from Postgres');
      return REDIS_DOWN;
    });
    // Set when the feed comes from Postgres instead of Redis for this request.
    Metrics.cacheRequests.inc({ cache: 'feed', result: head.state === 'ok' ? 'hit' : 'miss' });
    let rebuilt = head.state === 'ok' ? undefined : await this.rebuild(viewer.id, head.state === 'missing');
    let feed: IdChunk = rebuilt ? takeBelow(rebuilt, below, count) : head;
    const celebrities = await this.celebrityPostIds(viewer.id, head);

    const items: PostView[] = [];
    for (;;) {
      // The merge of several sources can hold far more ids than the page needs: take
      // only the newest `count`, and carry on below the last of them if the page is short.
      const step = mergeChunks([feed, ...celebrities.map((ids) => takeBelow(ids, below, count))], count);
      const { ids, cut } = step;
      items.push(...(await this.hydrator.hydrate(ids.map(unpadId), viewer)));
      if (items.length >= want || (step.done && !cut)) break;
      below = cut ? ids[ids.length - 1] : step.floor;
      count = want - items.length + SLACK;
      // A last chunk is the end of the feed: what it holds below the bound is all there is.
      if (feed.last) feed = takeBelow(feed.ids, below, count);
      else if (rebuilt) feed = takeBelow(rebuilt, below, count);
      else {
        const next = await this.feeds.read(viewer.id, below, count);
        // The feed vanished mid-page (evicted or flushed): carry on from Postgres.
        if (next.state !== 'ok') rebuilt = await this.rebuild(viewer.id, next.state === 'missing');
        feed = rebuilt ? takeBelow(rebuilt, below, count) : next;
      }
    }
    const page = items.slice(0, limit);
    return { items: page, nextCursor: items.length > limit ? encodeIdCursor(page[page.length - 1].id) : null };
  }

  /**
   * The feed as Postgres has it: the newest posts of the reader and of
   * everyone they follow. A missing feed is claimed first and stored after,
   * so fan-outs during the rebuild land in it; a feed being rebuilt by another
   * request is only read, not stored twice.
   */
  private async rebuild(userId: string, store: boolean): Promise<string[]> {
    const claim = store ? await this.feeds.claim(userId).catch(() => undefined) : undefined;
    const ids = (await this.posts.feedSourceIds(userId, this.config.FEED_MAX_LENGTH)).map(padId);
    if (claim) await this.feeds.complete(userId, claim, ids).catch((error: unknown) => this.logger.warn({ err: error }, 'feed: rebuilt feed not stored'));
    return ids;
  }

  /** Newest-first padded ids of each followed celebrity, from the caches where possible. */
  private async celebrityPostIds(viewerId: string, head: FeedHead): Promise<string[][]> {
    let celebrities = head.celebrities;
    if (celebrities === undefined) {
      celebrities = await this.follows.celebritiesFollowedBy(viewerId, this.config.FEED_CELEBRITY_THRESHOLD);
      if (head.state !== 'unavailable') {
        void this.feeds.cacheCelebrities(viewerId, head.generation, celebrities).catch((error: unknown) => this.logger.warn({ err: error }, 'feed: celebrity list not cached'));
      }
    }
    return this.celebrityPosts.recentIds(celebrities);
  }
}
