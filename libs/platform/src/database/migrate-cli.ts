import { DataSource } from 'typeorm';
import { configOrExit, databaseEnv } from '../config/config.js';
import { dataSourceOptions, type DatabaseSpec } from './database.module.js';
import { runMigrationsLocked } from './migrations.js';

/** Body of each app's `migrate` command: apply pending migrations and exit. */
export async function runMigrationsCommand(service: string, spec: DatabaseSpec): Promise<void> {
  const config = configOrExit(databaseEnv);
  const dataSource = new DataSource(dataSourceOptions(config, spec, `warble-${service}-migrate`));
  await dataSource.initialize();
  try {
    const applied = await runMigrationsLocked(dataSource, spec.schema);
    process.stdout.write(applied.length ? `${service}: applied ${applied.join(', ')}\n` : `${service}: schema up to date\n`);
  } finally {
    await dataSource.destroy();
  }
}
