import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type AppLogger, LOGGER, REDIS } from '@app/platform';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from '../config/gateway.config.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RedisRateLimiter } from './rate-limiter.js';

/**
 * Rate limiting at the public edge. Import it after the platform's AuthModule
 * (AppHostModule does so): global guards run in registration order, and the
 * limiter needs the caller that AuthGuard verified.
 */
@Module({
  providers: [
    {
      provide: RedisRateLimiter,
      inject: [REDIS, APP_CONFIG, LOGGER],
      useFactory: (redis: Redis, config: GatewayConfig, logger: AppLogger) =>
        new RedisRateLimiter(redis, {
          prefix: 'warble:ratelimit:',
          windowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
          onDegraded: (error) => logger.warn({ err: error }, 'rate limiting suspended: Redis does not answer, requests pass uncounted'),
        }),
    },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class EdgeModule {}
