import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { EventInbox, type InboxOutcome } from '@app/platform';
import { CommentCountRepository } from '../repositories/comment-count.repository.js';

/** Keeps each post's comment_count in step with comments.events.v1. */
@Controller()
export class CommentsEventsConsumer {
  constructor(
    private readonly inbox: EventInbox,
    private readonly counts: CommentCountRepository,
  ) {}

  @EventPattern(Topics.comments)
  onCommentEvent(@Ctx() context: KafkaContext): Promise<InboxOutcome> {
    return this.inbox.consume<typeof Topics.comments>(context, {
      'comment.created': (event, tx) => this.counts.countCreated(tx.manager, event.data.commentId, event.data.postId),
      'comment.deleted': (event, tx) => this.counts.countDeleted(tx.manager, event.data.commentId, event.data.postId),
    });
  }
}
