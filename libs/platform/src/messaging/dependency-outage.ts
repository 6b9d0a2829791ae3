import { ReplyError } from 'ioredis';

/** Redis replies of a cluster that is moving slots or failing over, or of a node still loading. */
const REDIS_TRANSIENT_REPLY = /^(MOVED|ASK|CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN) /;
/** ioredis's own errors for a connection that is gone or a cluster it cannot route in. */
const REDIS_CLIENT_ERRORS = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError', 'RedisTimeout']);
const REDIS_CLIENT_MESSAGES = [/^Connection is closed\.$/, /^Too many Cluster redirections/, /^Command timed out$/, /^Stream isn't writeable/];
/** Socket errors of any client (pg, ioredis) whose server went away. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
/** Postgres: connection exceptions (class 08) and a server shutting down or starting (57P01-57P03). */
const POSTGRES_CODES = /^(08...|57P0[123])$/;
const POSTGRES_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect$/];

/**
 * True when a handler failed because Redis or Postgres is away or failing
 * over, not because of the message: such a failure is retried for as long as
 * the outage may last instead of sending a good event to the dead letters
 * (docs/events.md, "Consumer side").
 */
export function isDependencyOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof ReplyError) return REDIS_TRANSIENT_REPLY.test(error.message);
  if (REDIS_CLIENT_ERRORS.has(error.name)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || POSTGRES_CODES.test(code))) return true;
  return [...REDIS_CLIENT_MESSAGES, ...POSTGRES_MESSAGES].some((pattern) => pattern.test(error.message));
}
