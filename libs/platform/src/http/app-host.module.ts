import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ConfigModule } from '../config/config.module.js';
import type { AppLogger } from '../logging/logger.js';
import { LoggingModule } from '../logging/logging.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';

/** Wraps an app's root module with the validated config, the logger, token verification and metrics. */
@Module({})
export class AppHostModule {
  static forRoot(service: string, config: object, logger: AppLogger, root: Type | DynamicModule): DynamicModule {
    return {
      module: AppHostModule,
      imports: [ConfigModule.forValue(service, config), LoggingModule.forLogger(logger), AuthModule, MetricsModule, root],
    };
  }
}
