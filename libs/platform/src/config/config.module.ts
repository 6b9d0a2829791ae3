import { type DynamicModule, Global, Module } from '@nestjs/common';

/** Injection token of the app's validated configuration object. */
export const APP_CONFIG = Symbol('APP_CONFIG');
/** Injection token of the service name ("users", "gateway", …). */
export const SERVICE_NAME = Symbol('SERVICE_NAME');

/** Makes an already validated configuration object available everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forValue(service: string, config: object): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: SERVICE_NAME, useValue: service },
      ],
      exports: [APP_CONFIG, SERVICE_NAME],
    };
  }
}
