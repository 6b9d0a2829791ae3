import { Cluster, Redis } from 'ioredis';
import { setting } from './env.js';

const clusterNodes = setting('REDIS_CLUSTER_NODES', '')
  .split(',')
  .map((node) => node.trim())
  .filter(Boolean);

/** A client of the Redis the apps use: the cluster when REDIS_CLUSTER_NODES is set, else REDIS_URL. */
export function testRedis(): Redis | Cluster {
  if (clusterNodes.length === 0) return new Redis(setting('REDIS_URL', 'redis://127.0.0.1:6379'), { maxRetriesPerRequest: 2 });
  return new Cluster(
    clusterNodes.map((node) => ({ host: node.split(':')[0], port: Number(node.split(':')[1]) })),
    { redisOptions: { maxRetriesPerRequest: 2 } },
  );
}

/** Empties all of that Redis (every master of a cluster), as losing it would. */
export async function flushAllRedis(redis: Redis | Cluster): Promise<void> {
  if (redis instanceof Cluster) await Promise.all(redis.nodes('master').map((node) => node.flushall()));
  else await redis.flushall();
}
