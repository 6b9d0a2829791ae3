import { Module } from '@nestjs/common';
import { HealthModule, RedisModule } from '@app/platform';
import { AuthController } from './controllers/auth.controller.js';
import { CommentsController } from './controllers/comments.controller.js';
import { FeedController } from './controllers/feed.controller.js';
import { GraphController } from './controllers/graph.controller.js';
import { PostsController } from './controllers/posts.controller.js';
import { SearchController } from './controllers/search.controller.js';
import { UsersController } from './controllers/users.controller.js';
import { EdgeModule } from './edge/edge.module.js';
import { ExperimentsModule } from './experiments/experiments.module.js';
import { UpstreamModule } from './upstream/upstream.module.js';

@Module({
  imports: [RedisModule, UpstreamModule, EdgeModule, ExperimentsModule, HealthModule.forDependencies([], ['redis'])],
  controllers: [AuthController, UsersController, SearchController, CommentsController, GraphController, PostsController, FeedController],
})
export class GatewayModule {}
