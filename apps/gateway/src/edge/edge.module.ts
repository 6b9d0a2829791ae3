import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, REDIS, type RedisClient } from '@app/platform';
import type { GatewayConfig } from '../config/gateway.config.js';
import { ApiBudgets } from './api-budgets.js';
import { RateLimitGuard } from './rate-limit.guard.js';

/**
 * Rate limiting at the public edge. Import it after the platform's AuthModule
 * (AppHostModule does so): global guards run in registration order, and the
 * limiter needs the caller that AuthGuard verified.
 */
@Module({
  providers: [
    { provide: ApiBudgets, inject: [REDIS, APP_CONFIG], useFactory: (redis: RedisClient, config: GatewayConfig) => new ApiBudgets(redis, config) },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class EdgeModule {}
