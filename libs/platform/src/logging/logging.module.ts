import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppLogger } from './logger.js';

export const LOGGER = Symbol('LOGGER');

@Global()
@Module({})
export class LoggingModule {
  static forLogger(logger: AppLogger): DynamicModule {
    return { module: LoggingModule, providers: [{ provide: LOGGER, useValue: logger }], exports: [LOGGER] };
  }
}
