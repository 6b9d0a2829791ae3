import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { type AppLogger, EventInbox, type InboxOutcome, LOGGER } from '@app/platform';
import { PostCache } from '../../post-views/repositories/post.cache.js';
import type { PostState } from '../../post-views/repositories/post.repository.js';
import { CommentCountRepository } from '../repositories/comment-count.repository.js';

/** Keeps each post's comment_count in step with comments.events.v1. */
@Controller()
export class CommentsEventsConsumer {
  constructor(
    private readonly inbox: EventInbox,
    private readonly counts: CommentCountRepository,
    private readonly cache: PostCache,
    @Inject(LOGGER) private readonly logger: AppLogger,
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
      await this.cache.writeState(changed.postId, changed.state).catch((error: unknown) => this.logger.warn({ err: error }, 'post cache: comment count not written'));
    }
    return outcome;
  }
}
