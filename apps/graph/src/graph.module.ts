import { Module } from '@nestjs/common';
import { CountedPosts } from '@app/domain';
import { DatabaseModule, HealthModule, MessagingModule } from '@app/platform';
import { PostsEventsConsumer } from './consumers/posts-events.consumer.js';
import { UsersEventsConsumer } from './consumers/users-events.consumer.js';
import { FollowsController } from './controllers/follows.controller.js';
import { ProfilesController } from './controllers/profiles.controller.js';
import { graphMigrations } from './migrations/index.js';
import { FollowRepository } from './repositories/follow.repository.js';
import { ProfileRepository } from './repositories/profile.repository.js';
import { FollowService } from './services/follow.service.js';
import { PostTallyService } from './services/post-tally.service.js';
import { ProfileService } from './services/profile.service.js';

export const GRAPH_DATABASE = { schema: 'graph', entities: [], migrations: graphMigrations };

// graph.profiles replaces the shared user directory: graph serves whole public profiles.
@Module({
  imports: [
    DatabaseModule.forService(GRAPH_DATABASE),
    MessagingModule.forService({ consumerGroup: 'graph' }),
    HealthModule.forDependencies(['postgres', 'kafka']),
  ],
  controllers: [FollowsController, ProfilesController, UsersEventsConsumer, PostsEventsConsumer],
  providers: [ProfileRepository, FollowRepository, CountedPosts, FollowService, ProfileService, PostTallyService],
})
export class GraphModule {}
