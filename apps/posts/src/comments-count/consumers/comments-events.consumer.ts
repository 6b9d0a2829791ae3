import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { EventInbox, type InboxOutcome } from '@app/platform';
import { PostCache } from '../../post-views/repositories/post.cache.js';
import { PostCacheRepair } from '../../post-views/services/post-cache-repair.js';
import type { PostState } from '../../post-views/repositories/post.repository.js';
import { CommentCountRepository } from '../repositories/comment-count.repository.js';

/** Keeps each post's comment_count in step with comments.events.v1. */
@Controller()
export class CommentsEventsConsumer {
  constructor(
    private readonly inbox: EventInbox,
    private readonly counts: CommentCountRepository,
    private readonly cache: PostCache,
    private readonly repair: PostCacheRepair,
  ) {}

  @EventPattern(Topics.comments)
  async onCommentEvent(@Ctx() context: KafkaContext): Promise<InboxOutcome> {
    let changed: { postId: string; state: PostState } | undefined;
    const outcome = await this.inbox.consume<typeof Topics.comments>(context, {
      'comment.created': async (event, tx) => {
        const state = await this.counts.countCreated(tx.manager, event.data.commentId, event.data.postId);
        changed = state && { postId: event.data.postId, state };
      },
      'comment.deleted': async (event, tx) => {
        const state = await this.counts.countDeleted(tx.manager, event.data.commentId, event.data.postId);
        changed = state && { postId: event.data.postId, state };
      },
    });
    // Only after the commit: a state that might still roll back must never reach the cache.
    if (outcome === 'applied' && changed) {
      const { postId, state } = changed;
      await this.cache.writeState(postId, state).catch((error: unknown) => this.repair.stateNotWritten(postId, error));
    }
    return outcome;
  }
}
