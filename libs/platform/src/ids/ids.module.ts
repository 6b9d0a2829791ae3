import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { ServiceEnv } from '../config/config.js';
import { SnowflakeGenerator } from './snowflake.js';

@Global()
@Module({
  providers: [
    {
      provide: SnowflakeGenerator,
      inject: [APP_CONFIG],
      useFactory: (config: ServiceEnv) => new SnowflakeGenerator(config.WORKER_ID),
    },
  ],
  exports: [SnowflakeGenerator],
})
export class IdsModule {}
