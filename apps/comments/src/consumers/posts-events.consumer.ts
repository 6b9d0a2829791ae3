import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { EventInbox, type InboxOutcome } from '@app/platform';
import { CommentRepository } from '../repositories/comment.repository.js';
import { PostProjectionRepository } from '../repositories/post-projection.repository.js';
import { PostArrivals } from '../services/post-arrivals.js';

/**
 * Learns which posts exist from posts.events.v1. Deleting a post deletes its
 * comments, each with a comment.deleted event, in the same transaction.
 * Once an event about a post is applied, requests waiting for that post wake up.
 */
@Controller()
export class PostsEventsConsumer {
  constructor(
    private readonly inbox: EventInbox,
    private readonly posts: PostProjectionRepository,
    private readonly comments: CommentRepository,
    private readonly arrivals: PostArrivals,
  ) {}

  @EventPattern(Topics.posts)
  async onPostEvent(@Ctx() context: KafkaContext): Promise<InboxOutcome> {
    let touched: string | undefined;
    const outcome = await this.inbox.consume<typeof Topics.posts>(context, {
      'post.created': async (event, tx) => {
        touched = event.data.postId;
        await this.posts.recordCreated(tx.manager, event.data.postId, event.data.authorId);
      },
      'post.deleted': async (event, tx) => {
        const { postId, authorId, deletedAt } = event.data;
        touched = postId;
        await this.posts.recordDeleted(tx.manager, postId, authorId, deletedAt);
        for (const commentId of await this.comments.softDeleteAllOfPost(tx.manager, postId)) {
          await tx.publish({ type: 'comment.deleted', key: postId, aggregateId: commentId, data: { commentId, postId, deletedAt } });
        }
      },
    });
    // consume() returns after the commit, so a woken request finds the row.
    if (touched) this.arrivals.applied(touched);
    return outcome;
  }
}
