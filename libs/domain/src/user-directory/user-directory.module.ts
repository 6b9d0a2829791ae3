import { Controller, Module } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { EventInbox, type InboxOutcome } from '@app/platform';
import { UserDirectory } from './user-directory.js';

/** Feeds the service's user directory from users.events.v1. */
@Controller()
export class UserDirectoryConsumer {
  constructor(
    private readonly inbox: EventInbox,
    private readonly directory: UserDirectory,
  ) {}

  @EventPattern(Topics.users)
  onUserEvent(@Ctx() context: KafkaContext): Promise<InboxOutcome> {
    return this.inbox.consume<typeof Topics.users>(context, {
      'user.registered': (event, tx) => this.directory.apply(event.data, tx),
      'user.updated': (event, tx) => this.directory.apply(event.data, tx),
    });
  }
}

/** For services that consume: the directory table must come from their migrations (createUserDirectoryTable). */
@Module({
  controllers: [UserDirectoryConsumer],
  providers: [UserDirectory],
  exports: [UserDirectory],
})
export class UserDirectoryModule {}
