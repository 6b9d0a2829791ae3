import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';
import { APP_CONFIG, SERVICE_NAME } from '../config/config.module.js';
import type { DatabaseEnv, ServiceEnv } from '../config/config.js';
import { SnowflakeGenerator } from '../ids/snowflake.js';
import { LOGGER } from '../logging/logging.module.js';
import type { AppLogger } from '../logging/logger.js';
import { HEALTH_CHECKS } from '../health/health-check.js';
import { runMigrationsLocked } from './migrations.js';
import { DatabaseReads } from './database-reads.js';
import { PostgresHealthCheck } from './postgres-health.js';
import { RecentWrites } from './recent-writes.js';
import { WorkerLease } from './worker-lease.js';

import { DB_SCHEMA } from './db-schema.token.js';

export { DB_SCHEMA };

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

/** Resolves once the schema is migrated: whatever needs the tables at boot waits for it. */
const SCHEMA_READY = Symbol('SCHEMA_READY');

async function migrateOnBoot(dataSource: DataSource, config: DatabaseEnv, schema: string, logger: AppLogger): Promise<true> {
  if (config.DATABASE_MIGRATIONS_RUN) {
    const applied = await runMigrationsLocked(dataSource, schema);
    if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
  }
  return true;
}

/** A fixed WORKER_ID when configured (one process per service), otherwise one leased from the database. */
async function snowflakeGenerator(config: ServiceEnv, lease: WorkerLease): Promise<SnowflakeGenerator> {
  return new SnowflakeGenerator(config.WORKER_ID ?? (await lease.acquire()));
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
        { provide: SCHEMA_READY, inject: [DataSource, APP_CONFIG, DB_SCHEMA, LOGGER], useFactory: migrateOnBoot },
        WorkerLease,
        {
          provide: SnowflakeGenerator,
          inject: [APP_CONFIG, WorkerLease, SCHEMA_READY],
          useFactory: (config: ServiceEnv, lease: WorkerLease) => snowflakeGenerator(config, lease),
        },
        PostgresHealthCheck,
        { provide: HEALTH_CHECKS.postgres, useExisting: PostgresHealthCheck },
        RecentWrites,
        DatabaseReads,
      ],
      exports: [DB_SCHEMA, TypeOrmModule, HEALTH_CHECKS.postgres, SnowflakeGenerator, SCHEMA_READY, RecentWrites, DatabaseReads],
    };
  }
}
