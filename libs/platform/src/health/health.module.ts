import { type DynamicModule, Module } from '@nestjs/common';
import { HEALTH_CHECKS, type Dependency, type HealthCheck } from './health-check.js';
import { HEALTH_CHECK_LIST, HealthController } from './health.controller.js';
import { ShutdownDrain } from './shutdown-drain.js';

/** `/health/live` and `/health/ready` over the listed dependencies (503 while the process drains on SIGTERM). */
@Module({})
export class HealthModule {
  static forDependencies(dependencies: Dependency[]): DynamicModule {
    const tokens = dependencies.map((dependency) => HEALTH_CHECKS[dependency]);
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [{ provide: HEALTH_CHECK_LIST, inject: tokens, useFactory: (...checks: HealthCheck[]) => checks }, ShutdownDrain],
    };
  }
}
