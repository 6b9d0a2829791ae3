import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { type AppLogger, EventInbox, type InboxOutcome, LOGGER } from '@app/platform';
import { DataSource } from 'typeorm';
import { type FeedEffect, FollowProjection } from '../services/follow-projection.service.js';

/** Keeps posts' follow edges and follower counts in step with graph.events.v1, and the feeds with them. */
@Controller()
export class GraphEventsConsumer {
  constructor(
    private readonly inbox: EventInbox,
    private readonly projection: FollowProjection,
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  @EventPattern(Topics.graph)
  async onGraphEvent(@Ctx() context: KafkaContext): Promise<InboxOutcome> {
    let effect: FeedEffect | undefined;
    const outcome = await this.inbox.consume<typeof Topics.graph>(context, {
      'user.followed': async (event, tx) => {
        effect = await this.projection.onFollowed(event.data, tx);
      },
      'user.unfollowed': async (event, tx) => {
        effect = await this.projection.onUnfollowed(event.data, tx);
      },
    });
    if (outcome === 'applied' && effect) {
      // Second run after the commit (see FeedEffect). The first one already succeeded, so a failure here is only logged.
      await effect(this.dataSource.manager).catch((error: unknown) => this.logger.warn({ err: error }, 'feed: follow change not re-applied after commit'));
    }
    return outcome;
  }
}
