import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { setting } from './env.js';

/** A database of a test's own, laid out like the real one. */
export interface ScratchDatabase {
  name: string;
  /** A superuser connection to it, for assertions. */
  admin: pg.Pool;
  /** Ends every session and drops it. */
  drop(): Promise<void>;
}

/**
 * Creates a fresh database with scripts/db.sh setup (the same roles, schemas,
 * least-privilege grants and extensions as `warble`), so that processes a
 * suite starts itself neither share outbox tables nor inboxes with the
 * running system. The services' migrations fill it when they boot.
 */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await promisify(execFile)('scripts/db.sh', ['setup'], { env: { ...process.env, DATABASE_NAME: name }, timeout: 60_000 });
  const connection = { host: setting('DATABASE_HOST', '127.0.0.1'), port: Number(setting('DATABASE_PORT', '5432')), user: setting('DATABASE_ADMIN_USER', 'postgres') };
  const admin = new pg.Pool({ ...connection, database: name, max: 2 });
  return {
    name,
    admin,
    drop: async () => {
      await admin.end();
      const root = new pg.Client({ ...connection, database: 'postgres' });
      await root.connect();
      try {
        await root.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await root.end();
      }
    },
  };
}
