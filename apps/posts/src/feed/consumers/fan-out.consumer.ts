import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { EventInbox, type InboxOutcome } from '@app/platform';
import { FanOutService } from '../services/fan-out.service.js';

/**
 * posts reads its own topic: the feed fan-out runs off post.created, after
 * the post is committed. Deleted posts are not chased through feeds: reads
 * skip them.
 */
@Controller()
export class FanOutConsumer {
  constructor(
    private readonly inbox: EventInbox,
    private readonly fanOut: FanOutService,
  ) {}

  @EventPattern(Topics.posts)
  onPostEvent(@Ctx() context: KafkaContext): Promise<InboxOutcome> {
    return this.inbox.consume<typeof Topics.posts>(context, {
      'post.created': (event, tx) => this.fanOut.onPostCreated(event.data, tx),
    });
  }
}
