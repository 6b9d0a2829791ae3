import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { EventInbox, type InboxOutcome } from '@app/platform';
import { ProfileRepository } from '../repositories/profile.repository.js';

/** Keeps the public profiles in step with users.events.v1. */
@Controller()
export class UsersEventsConsumer {
  constructor(
    private readonly inbox: EventInbox,
    private readonly profiles: ProfileRepository,
  ) {}

  @EventPattern(Topics.users)
  onUserEvent(@Ctx() context: KafkaContext): Promise<InboxOutcome> {
    return this.inbox.consume<typeof Topics.users>(context, {
      'user.registered': (event, tx) => this.profiles.upsertRegistered(tx.manager, event.data),
      'user.updated': (event, tx) => this.profiles.applyUpdated(tx.manager, event.data),
    });
  }
}
