import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { EventInbox, type InboxOutcome } from '@app/platform';
import { UserStatsService } from '../services/user-stats.service.js';

/** Follower and following counts from graph.events.v1. */
@Controller()
export class GraphEventsConsumer {
  constructor(
    private readonly inbox: EventInbox,
    private readonly stats: UserStatsService,
  ) {}

  @EventPattern(Topics.graph)
  onGraphEvent(@Ctx() context: KafkaContext): Promise<InboxOutcome> {
    return this.inbox.consume<typeof Topics.graph>(context, {
      'user.followed': (event, tx) => this.stats.followed(tx.manager, event.data),
      'user.unfollowed': (event, tx) => this.stats.unfollowed(tx.manager, event.data),
    });
  }
}
