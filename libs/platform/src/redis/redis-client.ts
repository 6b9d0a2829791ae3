import { Cluster, type ChainableCommander, type Redis } from 'ioredis';
import { Metrics } from '../metrics/instruments.js';

/** What REDIS injects: a single-node client or a Redis Cluster client (same commands, same key names). */
export type RedisClient = Redis | Cluster;

/**
 * Keys of different readers or posts live in different hash slots, and in a
 * Redis Cluster one MGET or one pipeline may only touch keys of one node. On
 * a single node these helpers keep the one-round-trip forms; on a cluster they
 * send one command per key, which the client's auto-pipelining groups into
 * one pipeline per node (docs/scaling.md, "Redis keys").
 */
export function getMany(redis: RedisClient, keys: string[]): Promise<(string | null)[]> {
  if (keys.length === 0) return Promise.resolve([]);
  if (!(redis instanceof Cluster)) return redis.mget(keys);
  return Promise.all(keys.map((key) => redis.get(key)));
}

/**
 * Runs `queue(target, item)` for every item as one batch: one pipeline on a
 * single node; on a cluster, commands on the client itself, auto-pipelined per
 * node. `queue` issues its commands on `target` one by one (no chaining) and
 * returns what they return, one value or an array. Rejects with the first
 * failed command's error, like a failed pipeline entry.
 */
export async function writeEach<T>(redis: RedisClient, items: readonly T[], queue: (target: ChainableCommander | RedisClient, item: T) => unknown): Promise<void> {
  if (items.length === 0) return;
  if (redis instanceof Cluster) {
    await Promise.all(items.flatMap((item) => queue(redis, item)));
    return;
  }
  const pipeline = redis.pipeline();
  for (const item of items) queue(pipeline, item);
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0] as Error;
}

/** A Redis call on a request's path that did not answer within REDIS_REQUEST_TIMEOUT_MS. */
export class RedisTimeout extends Error {
  constructor(call: string, ms: number) {
    super(`Redis call "${call}" took longer than ${ms} ms`);
    this.name = 'RedisTimeout';
  }
}

/**
 * Stops waiting for a Redis call on a request's path after `ms`, so that the
 * request goes on without Redis (reads from Postgres, a cache write handed
 * to its repair) while the call may still be pending. While a master fails
 * over, ioredis retries the commands of its slots until a replica has taken
 * over, seconds by design, which the Kafka handlers want; a request that
 * calls Redis several times in a row must not wait that long on each
 * (docs/scaling.md, "Redis failover"). The call itself runs on.
 */
export function withinRedisDeadline<T>(call: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      Metrics.redisTimeouts.inc({ call: name });
      reject(new RedisTimeout(name, ms));
    }, ms);
  });
  return Promise.race([call, deadline]).finally(() => clearTimeout(timer));
}
