import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The KEY=VALUE lines of an env file of the repository (comments and blank lines skipped). */
export function readEnvFile(name: string): Record<string, string> {
  const text = readFileSync(resolve(process.cwd(), name), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#') && line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Settings for tests: the process environment over the project's .env (or .env.example). */
function loadDotEnv(): Record<string, string> {
  for (const name of ['.env', '.env.example']) {
    try {
      return readEnvFile(name);
    } catch {
      // try the next file
    }
  }
  return {};
}

const fileEnv = loadDotEnv();

export function setting(name: string, fallback?: string): string {
  const value = process.env[name] ?? fileEnv[name] ?? fallback;
  if (value === undefined) throw new Error(`test setting ${name} is missing`);
  return value;
}

export const gatewayUrl = setting('GATEWAY_URL', `http://127.0.0.1:${setting('GATEWAY_PORT', '3000')}`);
export const kafkaBrokers = setting('KAFKA_BROKERS').split(',');

/** A username that no other test run uses (3..30 of [a-z0-9_]). */
export function uniqueUsername(prefix = 'u'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`.slice(0, 30);
}
