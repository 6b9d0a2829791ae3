import { Inject, Injectable } from '@nestjs/common';
import { encodeIdCursor, idFromCursor, type Page, type PostView } from '@app/api';
import { APP_CONFIG, type AppLogger, type Caller, LOGGER, Metrics } from '@app/platform';
import type { PostsConfig } from '../../config/posts.config.js';
import { PostHydrator } from '../../post-views/services/post-hydrator.js';
import { padId, unpadId } from '../repositories/feed-members.js';
import { type FeedChunk, FeedStore, type FeedState } from '../repositories/feed.store.js';
import { FeedSourceRepository } from '../repositories/feed-source.repository.js';
import { FollowRepository } from '../repositories/follow.repository.js';
import { CelebrityPosts } from './celebrity-posts.js';
import { type IdChunk, mergeChunks, takeBelow } from './feed-merge.js';

/** Ids read beyond what the page still needs, so that a few deleted posts do not cost a second round trip. */
const SPARE_IDS_FOR_DELETED_POSTS = 4;
/** The page's first read of the reader's feed, or `unavailable` when Redis did not answer. */
type FirstFeedRead = Omit<FeedChunk, 'state'> & { state: FeedState | 'unavailable' };
/** What the page reads when Redis does not answer: everything comes from Postgres. */
const FEED_UNAVAILABLE: FirstFeedRead = { state: 'unavailable', ids: [], last: true, celebrities: undefined, generation: '' };

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
    private readonly sources: FeedSourceRepository,
    private readonly follows: FollowRepository,
    private readonly celebrityPosts: CelebrityPosts,
    private readonly hydrator: PostHydrator,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  async page(viewer: Caller, limit: number, cursor: string | undefined): Promise<Page<PostView>> {
    const before = idFromCursor(cursor);
    // One more than the page shows: its presence says there is a next page.
    const itemsWanted = limit + 1;
    let readBelow = before === undefined ? undefined : padId(before);
    let idsPerRead = itemsWanted + SPARE_IDS_FOR_DELETED_POSTS;

    const firstRead: FirstFeedRead = await this.feeds.read(viewer.id, readBelow, idsPerRead).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'feed: Redis read failed; reading from Postgres');
      return FEED_UNAVAILABLE;
    });
    // Set when the feed comes from Postgres instead of Redis for this request.
    Metrics.cacheRequests.inc({ cache: 'feed', result: firstRead.state === 'ok' ? 'hit' : 'miss' });
    let rebuiltFeed = firstRead.state === 'ok' ? undefined : await this.rebuild(viewer.id, firstRead.state === 'missing');
    let feedChunk: IdChunk = rebuiltFeed ? takeBelow(rebuiltFeed, readBelow, idsPerRead) : firstRead;
    const celebrityLists = await this.celebrityPostIds(viewer.id, firstRead);

    const items: PostView[] = [];
    for (;;) {
      // The merge of several sources can hold far more ids than the page needs: take
      // only the newest `idsPerRead`, and carry on below the last of them if the page is short.
      const merged = mergeChunks([feedChunk, ...celebrityLists.map((ids) => takeBelow(ids, readBelow, idsPerRead))], idsPerRead);
      const { ids, stoppedAtLimit } = merged;
      items.push(...(await this.hydrator.hydrate(ids.map(unpadId), viewer)));
      if (items.length >= itemsWanted || (merged.sourcesExhausted && !stoppedAtLimit)) break;
      readBelow = stoppedAtLimit ? ids[ids.length - 1] : merged.completeDownTo;
      idsPerRead = itemsWanted - items.length + SPARE_IDS_FOR_DELETED_POSTS;
      // A last chunk is the end of the feed: what it holds below the bound is all there is.
      if (feedChunk.last) feedChunk = takeBelow(feedChunk.ids, readBelow, idsPerRead);
      else if (rebuiltFeed) feedChunk = takeBelow(rebuiltFeed, readBelow, idsPerRead);
      else {
        const nextRead = await this.feeds.read(viewer.id, readBelow, idsPerRead);
        // The feed vanished mid-page (evicted or flushed): carry on from Postgres.
        if (nextRead.state !== 'ok') rebuiltFeed = await this.rebuild(viewer.id, nextRead.state === 'missing');
        feedChunk = rebuiltFeed ? takeBelow(rebuiltFeed, readBelow, idsPerRead) : nextRead;
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
    const ids = (await this.sources.feedSourceIds(userId, this.config.FEED_MAX_LENGTH)).map(padId);
    if (claim) await this.feeds.complete(userId, claim, ids).catch((error: unknown) => this.logger.warn({ err: error }, 'feed: rebuilt feed not stored'));
    return ids;
  }

  /** Newest-first padded ids of each followed celebrity, from the caches where possible. */
  private async celebrityPostIds(viewerId: string, firstRead: FirstFeedRead): Promise<string[][]> {
    let celebrities = firstRead.celebrities;
    if (celebrities === undefined) {
      celebrities = await this.follows.celebritiesFollowedBy(viewerId, this.config.FEED_CELEBRITY_THRESHOLD);
      if (firstRead.state !== 'unavailable') {
        void this.feeds.cacheCelebrities(viewerId, firstRead.generation, celebrities).catch((error: unknown) => this.logger.warn({ err: error }, 'feed: celebrity list not cached'));
      }
    }
    return this.celebrityPosts.recentIds(celebrities);
  }
}
