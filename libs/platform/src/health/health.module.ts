import { type DynamicModule, Module } from '@nestjs/common';
import { HEALTH_CHECKS, type Dependency, type HealthCheck } from './health-check.js';
import { HEALTH_CHECK_LIST, HealthController, OPTIONAL_HEALTH_CHECKS } from './health.controller.js';
import { ShutdownDrain } from './shutdown-drain.js';

/**
 * `/health/live` and `/health/ready` over the listed dependencies (503 while
 * the process drains on SIGTERM). `degradable` dependencies are checked and
 * reported but never make the app unready: the app serves without them
 * (Redis, whose reads fall back to Postgres and whose counters to memory),
 * and a balancer that took every replica out because one cache node fails
 * over would turn a slower answer into none.
 */
@Module({})
export class HealthModule {
  static forDependencies(dependencies: Dependency[], degradable: Dependency[] = []): DynamicModule {
    const tokens = dependencies.map((dependency) => HEALTH_CHECKS[dependency]);
    const optionalTokens = degradable.map((dependency) => HEALTH_CHECKS[dependency]);
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [
        { provide: HEALTH_CHECK_LIST, inject: tokens, useFactory: (...checks: HealthCheck[]) => checks },
        { provide: OPTIONAL_HEALTH_CHECKS, inject: optionalTokens, useFactory: (...checks: HealthCheck[]) => checks },
        ShutdownDrain,
      ],
    };
  }
}
