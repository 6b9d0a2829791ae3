import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { EventInbox, type InboxOutcome } from '@app/platform';
import { PostIndexRepository } from '../repositories/post-index.repository.js';

/** Keeps post documents, likes and comment counts of the index in step with events. */
@Controller()
export class PostsEventsConsumer {
  constructor(
    private readonly inbox: EventInbox,
    private readonly index: PostIndexRepository,
  ) {}

  @EventPattern(Topics.posts)
  onPostEvent(@Ctx() context: KafkaContext): Promise<InboxOutcome> {
    return this.inbox.consume<typeof Topics.posts>(context, {
      'post.created': (event, tx) => this.index.indexCreated(tx.manager, event.data),
      'post.deleted': (event, tx) => this.index.markDeleted(tx.manager, event.data),
      'post.liked': (event, tx) => this.index.setLike(tx.manager, event.data.postId, event.data.userId, true),
      'post.unliked': (event, tx) => this.index.setLike(tx.manager, event.data.postId, event.data.userId, false),
    });
  }

  @EventPattern(Topics.comments)
  onCommentEvent(@Ctx() context: KafkaContext): Promise<InboxOutcome> {
    return this.inbox.consume<typeof Topics.comments>(context, {
      'comment.created': (event, tx) => this.index.setComment(tx.manager, event.data.commentId, event.data.postId, false),
      'comment.deleted': (event, tx) => this.index.setComment(tx.manager, event.data.commentId, event.data.postId, true),
    });
  }
}
