import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@app/platform';
import type { CommentsConfig } from '../config/comments.config.js';
import { type KnownPost, PostProjectionRepository } from '../repositories/post-projection.repository.js';
import { mayBeInFlight, PostArrivals } from './post-arrivals.js';

// A waiter looks again at least this often: the post's event may be applied by
// another comments replica, which cannot wake this one.
const RECHECK_MS = 250;

/**
 * Which posts may be commented on. A post the projection has not heard of but
 * whose id is young enough to be in flight is waited for, bounded in time and
 * in the number of waiters (docs/api.md, "Comments right after a post");
 * a deleted or old unknown post is answered at once.
 */
@Injectable()
export class KnownPosts {
  private readonly waitMs: number;
  private readonly maxAgeMs: number;

  constructor(
    private readonly posts: PostProjectionRepository,
    private readonly arrivals: PostArrivals,
    @Inject(APP_CONFIG) config: Pick<CommentsConfig, 'COMMENTS_POST_WAIT_MS' | 'COMMENTS_POST_WAIT_MAX_AGE_MS'>,
  ) {
    this.waitMs = config.COMMENTS_POST_WAIT_MS;
    this.maxAgeMs = config.COMMENTS_POST_WAIT_MAX_AGE_MS;
  }

  /** The live post, or undefined (unknown or deleted). Each look is one short query: no connection is held while waiting. */
  async findLive(postId: string): Promise<KnownPost | undefined> {
    const state = await this.posts.findState(postId);
    if (state) return state.live;
    if (this.waitMs === 0 || !mayBeInFlight(postId, Date.now(), this.maxAgeMs)) return undefined;
    const slot = this.arrivals.reserve();
    if (!slot) return undefined;
    try {
      const deadline = Date.now() + this.waitMs;
      for (let left = this.waitMs; left > 0; left = deadline - Date.now()) {
        await slot.wake(postId, Math.min(RECHECK_MS, left));
        const arrived = await this.posts.findState(postId);
        if (arrived) return arrived.live;
      }
      return undefined;
    } finally {
      slot.release();
    }
  }
}
