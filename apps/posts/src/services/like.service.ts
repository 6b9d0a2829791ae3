import { Injectable } from '@nestjs/common';
import { type Caller, UnitOfWork } from '@app/platform';
import { LikeRepository } from '../repositories/like.repository.js';
import { postNotFound } from './post-writer.service.js';

/** Idempotent likes: the count and the event change only when the like itself does. */
@Injectable()
export class LikeService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly likes: LikeRepository,
  ) {}

  async like(caller: Caller, postId: string): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const outcome = await this.likes.like(tx.manager, postId, caller.id);
      if (outcome === 'missing') throw postNotFound();
      if (outcome === 'changed') await tx.publish({ type: 'post.liked', key: postId, data: { postId, userId: caller.id, at: new Date().toISOString() } });
    });
  }

  async unlike(caller: Caller, postId: string): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const outcome = await this.likes.unlike(tx.manager, postId, caller.id);
      if (outcome === 'missing') throw postNotFound();
      if (outcome === 'changed') await tx.publish({ type: 'post.unliked', key: postId, data: { postId, userId: caller.id, at: new Date().toISOString() } });
    });
  }
}
