import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { EventInbox, type InboxOutcome } from '@app/platform';
import { UserIndexRepository } from '../repositories/user-index.repository.js';

/** Keeps the user search index in step with users.events.v1. */
@Controller()
export class UsersEventsConsumer {
  constructor(
    private readonly inbox: EventInbox,
    private readonly index: UserIndexRepository,
  ) {}

  @EventPattern(Topics.users)
  onUserEvent(@Ctx() context: KafkaContext): Promise<InboxOutcome> {
    return this.inbox.consume<typeof Topics.users>(context, {
      'user.registered': (event, tx) => this.index.upsertRegistered(tx.manager, event.data),
      'user.updated': (event, tx) => this.index.applyUpdate(tx.manager, event.data),
    });
  }
}
