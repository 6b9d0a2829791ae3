import { Module } from '@nestjs/common';
import { HealthModule, RedisModule } from '@app/platform';
import { AuthController } from './controllers/auth.controller.js';
import { SearchController } from './controllers/search.controller.js';
import { UsersController } from './controllers/users.controller.js';
import { UpstreamModule } from './upstream/upstream.module.js';

@Module({
  imports: [RedisModule, UpstreamModule, HealthModule.forDependencies(['redis'])],
  controllers: [AuthController, UsersController, SearchController],
})
export class GatewayModule {}
