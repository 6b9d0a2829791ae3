import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { EventInbox, type InboxOutcome } from '@app/platform';
import { PostTallyService } from '../services/post-tally.service.js';

/** Counts posts per author from posts.events.v1 (likes are not graph's business). */
@Controller()
export class PostsEventsConsumer {
  constructor(
    private readonly inbox: EventInbox,
    private readonly tally: PostTallyService,
  ) {}

  @EventPattern(Topics.posts)
  onPostEvent(@Ctx() context: KafkaContext): Promise<InboxOutcome> {
    return this.inbox.consume<typeof Topics.posts>(context, {
      'post.created': (event, tx) => this.tally.created(tx.manager, event.data),
      'post.deleted': (event, tx) => this.tally.deleted(tx.manager, event.data),
    });
  }
}
