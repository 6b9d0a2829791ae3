import { type DynamicModule, Global, Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';
import { APP_CONFIG, SERVICE_NAME } from '../config/config.module.js';
import type { DatabaseEnv } from '../config/config.js';
import { LOGGER } from '../logging/logging.module.js';
import type { AppLogger } from '../logging/logger.js';
import { HEALTH_CHECKS } from '../health/health-check.js';
import { runMigrationsLocked } from './migrations.js';
import { PostgresHealthCheck } from './postgres-health.js';

/** The schema a service owns; every raw query qualifies its tables with it. */
export const DB_SCHEMA = Symbol('DB_SCHEMA');

export interface DatabaseSpec {
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity and migration classes
  entities: MixedList<Function | string>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

/** TypeORM options of one service: its own role, schema and migrations table; never synchronize. */
export function dataSourceOptions(config: DatabaseEnv, spec: DatabaseSpec, applicationName: string): DataSourceOptions {
  return {
    type: 'postgres',
    host: config.DATABASE_HOST,
    port: config.DATABASE_PORT,
    database: config.DATABASE_NAME,
    username: config.DATABASE_USER,
    password: config.DATABASE_PASSWORD,
    schema: spec.schema,
    entities: spec.entities,
    migrations: spec.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName,
    extra: {
      max: config.DATABASE_POOL_SIZE,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      // Server-side guard: no statement of a request may hang a connection forever.
      statement_timeout: 15_000,
    },
  };
}

@Injectable()
class MigrationsOnBoot implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: DatabaseEnv,
    @Inject(DB_SCHEMA) private readonly schema: string,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.DATABASE_MIGRATIONS_RUN) return;
    const applied = await runMigrationsLocked(this.dataSource, this.schema);
    if (applied.length) this.logger.info({ migrations: applied }, 'migrations applied');
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forService(spec: DatabaseSpec): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG, SERVICE_NAME],
          useFactory: (config: DatabaseEnv, service: string) => dataSourceOptions(config, spec, `warble-${service}`),
        }),
      ],
      providers: [
        { provide: DB_SCHEMA, useValue: spec.schema },
        MigrationsOnBoot,
        PostgresHealthCheck,
        { provide: HEALTH_CHECKS.postgres, useExisting: PostgresHealthCheck },
      ],
      exports: [DB_SCHEMA, TypeOrmModule, HEALTH_CHECKS.postgres],
    };
  }
}
