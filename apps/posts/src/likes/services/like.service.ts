import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type Caller, UnitOfWork, withinRedisDeadline } from '@app/platform';
import type { PostsConfig } from '../../config/posts.config.js';
import { PostCache } from '../../post-views/repositories/post.cache.js';
import { PostCacheRepair } from '../../post-views/services/post-cache-repair.js';
import { postNotFound } from '../../shared/post-not-found.js';
import { type LikeOutcome, LikeRepository } from '../repositories/like.repository.js';

/** Idempotent likes: the count, the event and the caches change only when the like itself does. */
@Injectable()
export class LikeService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly likes: LikeRepository,
    private readonly cache: PostCache,
    private readonly repair: PostCacheRepair,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
  ) {}

  async like(caller: Caller, postId: string): Promise<void> {
    const outcome = await this.unitOfWork.run(async (tx) => {
      const result = await this.likes.like(tx.manager, postId, caller.id);
      if (result.kind === 'missing') throw postNotFound();
      if (result.kind === 'changed') await tx.publish({ type: 'post.liked', key: postId, data: { postId, userId: caller.id, at: new Date().toISOString() } });
      return result;
    });
    await this.afterCommit(caller, postId, outcome, true);
  }

  async unlike(caller: Caller, postId: string): Promise<void> {
    const outcome = await this.unitOfWork.run(async (tx) => {
      const result = await this.likes.unlike(tx.manager, postId, caller.id);
      if (result.kind === 'missing') throw postNotFound();
      if (result.kind === 'changed') await tx.publish({ type: 'post.unliked', key: postId, data: { postId, userId: caller.id, at: new Date().toISOString() } });
      return result;
    });
    await this.afterCommit(caller, postId, outcome, false);
  }

  /** The caller's next read sees the change: the cache is updated before the answer. */
  private async afterCommit(caller: Caller, postId: string, outcome: LikeOutcome, liked: boolean): Promise<void> {
    if (outcome.kind !== 'changed') return;
    const wait = this.config.REDIS_REQUEST_TIMEOUT_MS;
    await Promise.all([
      withinRedisDeadline(this.cache.writeState(postId, outcome.state), wait, 'state-written').catch((error: unknown) => this.repair.stateNotWritten(postId, error)),
      withinRedisDeadline(this.cache.likedChanged(caller.id, postId, liked), wait, 'liked-written').catch((error: unknown) => this.repair.likedNotWritten(caller.id, error)),
    ]);
  }
}
