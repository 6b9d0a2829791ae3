import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eventually } from '../../support/eventually.js';

const run = promisify(execFile);

/** Runs one of the repository's scripts (scripts/<name>) and returns what it printed. */
export async function script(name: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(`scripts/${name}`, args, { env: process.env, timeout: 300_000, maxBuffer: 8 * 1024 * 1024 });
  return stdout;
}

export const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The port of an app's replica (replica 1 on <APP>_PORT, replica k on it + (k-1) * REPLICA_PORT_OFFSET). */
export function replicaPort(app: string, replica: number): number {
  const base = Number(process.env[`${app.toUpperCase()}_PORT`]);
  return base + (replica - 1) * Number(process.env.REPLICA_PORT_OFFSET ?? 10);
}

async function answers200(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status === 200;
  } catch {
    return false;
  }
}

/** Waits until an app's replica answers /health/ready with 200. */
export function whenReady(app: string, replica: number, timeoutMs = 60_000): Promise<true> {
  const url = `http://127.0.0.1:${replicaPort(app, replica)}/health/ready`;
  return eventually(async () => ((await answers200(url)) ? true : undefined), { what: `${app}@${replica} ready`, timeoutMs, intervalMs: 250 });
}

/** Waits until HAProxy counts every gateway as up (`scripts/haproxy.sh stat`). */
export function whenEdgeHasAllGateways(timeoutMs = 30_000): Promise<true> {
  return eventually(
    async () => {
      // Columns: proxy, server, status, ...; the gateways are the servers gw1, gw2.
      const gateways = (await script('haproxy.sh', 'stat')).split('\n').map((line) => line.trim().split(/\s+/)).filter((fields) => /^gw\d+$/.test(fields[1] ?? ''));
      return gateways.length > 0 && gateways.every((fields) => fields[2] === 'UP') ? true : undefined;
    },
    { what: 'HAProxy sees every gateway up', timeoutMs, intervalMs: 500 },
  );
}

/** The Redis Cluster's masters by port, most slots first. */
export async function redisMasters(): Promise<number[]> {
  return (await script('redis-cluster.sh', 'masters'))
    .trim()
    .split('\n')
    .map((line) => Number(line.split(' ')[1]));
}

/** Waits until `redis-cluster.sh status` says the cluster is ok with every node up. */
export function whenRedisClusterHealthy(timeoutMs = 60_000): Promise<true> {
  return eventually(
    async () => {
      try {
        await script('redis-cluster.sh', 'status');
        return true;
      } catch {
        return undefined;
      }
    },
    { what: 'Redis Cluster ok with six nodes', timeoutMs, intervalMs: 500 },
  );
}
