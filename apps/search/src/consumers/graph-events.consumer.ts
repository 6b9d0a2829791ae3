import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { EventInbox, type InboxOutcome } from '@app/platform';
import { UserIndexRepository } from '../repositories/user-index.repository.js';

/** Follow edges, for the counts and followedByMe of user results. */
@Controller()
export class GraphEventsConsumer {
  constructor(
    private readonly inbox: EventInbox,
    private readonly index: UserIndexRepository,
  ) {}

  @EventPattern(Topics.graph)
  onGraphEvent(@Ctx() context: KafkaContext): Promise<InboxOutcome> {
    return this.inbox.consume<typeof Topics.graph>(context, {
      'user.followed': (event, tx) => this.index.setFollow(tx.manager, event.data.followerId, event.data.followeeId, true),
      'user.unfollowed': (event, tx) => this.index.setFollow(tx.manager, event.data.followerId, event.data.followeeId, false),
    });
  }
}
