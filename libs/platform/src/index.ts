export * from './config/config.js';
export * from './config/config.module.js';
export * from './logging/logger.js';
export * from './logging/logging.module.js';
export * from './logging/request-context.js';
export * from './ids/snowflake.js';
export * from './errors/error-codes.js';
export * from './errors/problem.js';
export * from './errors/problem.filter.js';
export * from './errors/validation.pipe.js';
export * from './database/database.module.js';
export * from './database/migrations.js';
export * from './database/worker-lease.js';
export * from './database/migrate-cli.js';
export * from './database/unique-violation.js';
export * from './messaging/kafka-client.js';
export * from './messaging/kafka-producer.service.js';
export * from './messaging/unit-of-work.js';
export * from './messaging/outbox-relay.js';
export * from './messaging/event-inbox.js';
export * from './messaging/inbox-pruner.js';
export * from './messaging/consumer-options.js';
export * from './messaging/topics-admin.js';
export * from './messaging/messaging.module.js';
export * from './health/health-check.js';
export * from './health/health.module.js';
export * from './redis/redis.module.js';
export * from './http/app-host.module.js';
export * from './http/request-hooks.js';
export * from './http/bootstrap.js';
export * from './auth/auth-config.js';
export * from './auth/token-verifier.js';
export * from './auth/auth.guard.js';
export * from './auth/auth.module.js';
export * from './http/id-param.pipe.js';
export * from './metrics/instruments.js';
export * from './metrics/metrics.module.js';
export * from './tracing/index.js';

/*
 * Deprecated: the domain read models moved to @app/domain. Re-exported here
 * only until apps/posts imports them from there (the posts restructuring is
 * on its own branch); delete these lines then. Last on purpose: the domain
 * lib imports this barrel, so everything above must be evaluated first.
 */
export { createUserDirectoryTable, UserDirectory, UserDirectoryModule } from '@app/domain';
