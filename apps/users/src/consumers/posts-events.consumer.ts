import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { EventInbox, type InboxOutcome } from '@app/platform';
import { UserStatsService } from '../services/user-stats.service.js';

/** Post counts from posts.events.v1. */
@Controller()
export class PostsEventsConsumer {
  constructor(
    private readonly inbox: EventInbox,
    private readonly stats: UserStatsService,
  ) {}

  @EventPattern(Topics.posts)
  onPostEvent(@Ctx() context: KafkaContext): Promise<InboxOutcome> {
    return this.inbox.consume<typeof Topics.posts>(context, {
      'post.created': (event, tx) => this.stats.postCreated(tx.manager, event.data),
      'post.deleted': (event, tx) => this.stats.postDeleted(tx.manager, event.data),
    });
  }
}
