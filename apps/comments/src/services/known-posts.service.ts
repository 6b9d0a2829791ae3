import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, DomainError } from '@app/platform';
import type { CommentsConfig } from '../config/comments.config.js';
import { type PostOwner, PostOwnerClient } from '../repositories/post-owner.client.js';
import { type KnownPost, PostProjectionRepository, type PostState } from '../repositories/post-projection.repository.js';
import { mayBeInFlight, PostArrivals, type WaitSlot } from './post-arrivals.js';

// A waiter looks again at least this often: the post's event may be applied by
// another comments replica, which cannot wake this one.
const RECHECK_MS = 250;

/**
 * Which posts may be commented on (docs/api.md, "Comments right after a
 * post"). A post the projection knows is answered at once, live or deleted;
 * so is an unknown old id (404). An unknown young id may still be in flight:
 * the request waits for its post.created up to COMMENTS_POST_ASK_AFTER_MS,
 * then asks posts, the owner. Posts' "live" is recorded in the projection
 * (the event, when it comes, changes nothing), its "absent" is a 404. When
 * posts cannot tell, the request waits for the event the rest of
 * COMMENTS_POST_WAIT_MS and then answers 503: neither source could say
 * whether the post exists, and a 404 would tell the client it does not.
 * Waiting is bounded in time and in the number of waiters; without a
 * waiting place posts is asked at once.
 */
@Injectable()
export class KnownPosts {
  private readonly waitMs: number;
  private readonly askAfterMs: number;
  private readonly maxAgeMs: number;

  constructor(
    private readonly posts: PostProjectionRepository,
    private readonly arrivals: PostArrivals,
    @Inject(PostOwnerClient) private readonly owner: PostOwner,
    @Inject(APP_CONFIG) config: Pick<CommentsConfig, 'COMMENTS_POST_WAIT_MS' | 'COMMENTS_POST_ASK_AFTER_MS' | 'COMMENTS_POST_WAIT_MAX_AGE_MS'>,
  ) {
    this.waitMs = config.COMMENTS_POST_WAIT_MS;
    this.askAfterMs = Math.min(config.COMMENTS_POST_ASK_AFTER_MS, config.COMMENTS_POST_WAIT_MS);
    this.maxAgeMs = config.COMMENTS_POST_WAIT_MAX_AGE_MS;
  }

  /**
   * The live post, or undefined (unknown or deleted); throws UPSTREAM_UNAVAILABLE
   * when a young post is neither here nor confirmed by posts. Each look is one
   * short query: no connection is held while waiting.
   */
  async findLive(postId: string): Promise<KnownPost | undefined> {
    const state = await this.posts.findState(postId);
    if (state) return state.live;
    if (!mayBeInFlight(postId, Date.now(), this.maxAgeMs)) return undefined;
    const slot = this.waitMs > 0 ? this.arrivals.reserve() : undefined;
    try {
      const started = Date.now();
      const early = await this.waitFor(postId, slot, started + this.askAfterMs);
      if (early) return early.live;
      const answer = await this.owner.ask(postId);
      if (answer.kind === 'absent') return undefined;
      if (answer.kind === 'live') return this.learn(answer.post);
      const late = await this.waitFor(postId, slot, started + this.waitMs);
      if (late) return late.live;
      throw new DomainError('UPSTREAM_UNAVAILABLE', 'Cannot tell yet whether this post exists (posts is unavailable); try again shortly.');
    } finally {
      slot?.release();
    }
  }

  /** Waits (with a place only) until the post's state arrives or the deadline passes. */
  private async waitFor(postId: string, slot: WaitSlot | undefined, deadline: number): Promise<PostState | undefined> {
    if (!slot) return undefined;
    for (let left = deadline - Date.now(); left > 0; left = deadline - Date.now()) {
      await slot.wake(postId, Math.min(RECHECK_MS, left));
      const arrived = await this.posts.findState(postId);
      if (arrived) return arrived;
    }
    return undefined;
  }

  /** Records what posts said, wakes this process's other waiters for the post, and answers the row as it now is. */
  private async learn(post: KnownPost): Promise<KnownPost | undefined> {
    const state = await this.posts.recordLiveFromOwner(post.postId, post.authorId);
    this.arrivals.applied(post.postId);
    return state.live;
  }
}
