import pg from 'pg';
import { setting } from './env.js';

/** A superuser connection for assertions on what services stored (tests only). */
export function adminPool(): pg.Pool {
  return new pg.Pool({
    host: setting('DATABASE_HOST', '127.0.0.1'),
    port: Number(setting('DATABASE_PORT', '5432')),
    database: setting('DATABASE_NAME', 'warble'),
    user: setting('DATABASE_ADMIN_USER', 'postgres'),
    max: 2,
  });
}
