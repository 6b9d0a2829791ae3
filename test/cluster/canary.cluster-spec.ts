/**
 * `make canary` on the cluster topology (docs/operations.md, "A canary on
 * this machine"), under the mixed load through HAProxy's TLS address: a posts
 * canary built to fail (FAULT_500_ROUTE) is aborted and stopped with no more
 * than its share of the requests failing, and a healthy gateway canary is
 * promoted. Run by `make test-cluster` against `make up-cluster`.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Account, newAccount } from '../support/accounts.js';
import { eventually } from '../support/eventually.js';
import { follow, inBatches } from '../support/posts.js';
import { EdgeClient } from './support/edge-client.js';
import { replicaPort, whenReady } from './support/faults.js';
import { MixedLoad, type RequestTally } from './support/mixed-load.js';
import { WriteLedger } from './support/write-ledger.js';

/** The canary's share of its app's traffic, in percent. */
const SHARE = 10;
/**
 * Failed requests allowed beyond the canary's share: the draw is random (about
 * 400 requests of the faulty route at 10 % have a standard deviation of 1.5
 * points), and the canary is in the traffic for most of the load, not all of it.
 */
const TOLERANCE = 0.03;
/** The canary of each app is the replica after the stable ones. */
const CANARY_REPLICA = Number(process.env.APP_REPLICAS ?? '2') + 1;

/** Runs scripts/canary.sh APP (what `make canary` runs after the build) and gives its exit code and output. */
function runCanary(app: string, env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'scripts/canary.sh',
      [app],
      { env: { ...process.env, SHARE: String(SHARE), DURATION: '30', ...env }, timeout: 300_000, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        process.stdout.write(`scripts/canary.sh ${app} (exit ${code}):\n${stdout}${stderr}`);
        resolve({ code, output: stdout });
      },
    );
  });
}

/** Whether anything answers on the port (the canary stopped: nothing does). */
async function answers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

describe('make canary on the cluster topology', () => {
  const client = new EdgeClient();
  let accounts: Account[] = [];

  beforeAll(async () => {
    accounts = await inBatches(
      Array.from({ length: 12 }, () => 'canary'),
      4,
      (prefix) => newAccount(prefix),
    );
    // Each account follows the next two: the load's posts are fanned out into some feeds.
    const follows = accounts.flatMap((account, i) => [1, 2].map((step): [Account, Account] => [account, accounts[(i + step) % accounts.length]]));
    await inBatches(follows, 6, ([follower, followee]) => follow(follower, followee));
    await inBatches(accounts, 6, (account) =>
      eventually(async () => ((await client.call('GET', `/users/${account.username}/posts`)).status === 200 ? true : undefined), {
        what: `posts knows ${account.username}`,
        timeoutMs: 30_000,
      }),
    );
  }, 180_000);

  afterAll(() => client.close());

  /** Runs the canary under the mixed load; the tally counts every request of the load. */
  async function underLoad(app: string, env?: Record<string, string>): Promise<{ code: number; output: string; tally: RequestTally }> {
    const load = new MixedLoad(client, accounts, new WriteLedger(), { workers: 6, pauseMs: 40 });
    load.start();
    try {
      const result = await runCanary(app, env);
      return { ...result, tally: load.tally };
    } finally {
      await load.stop();
      process.stdout.write(`load during the ${app} canary: ${load.tally.failed} of ${load.tally.total} requests failed; ${load.tally.describeFailures()}\n`);
    }
  }

  it('a posts canary that answers 500 on GET /posts/:id is aborted and stopped, and no more than its share of requests fails', async () => {
    const { code, output, tally } = await underLoad('posts', { FAULT_500_ROUTE: 'GET /posts/:id' });

    expect(output).toMatch(/^verdict: abort$/m);
    expect(output).toMatch(/5xx share [\d.]+ % against [\d.]+ %/);
    expect(code).toBe(1);
    // The canary did get its share, and failed it: the load saw its 500s...
    const faulty = tally.failures.get('GET /posts/{id} 500') ?? 0;
    expect(faulty).toBeGreaterThan(0);
    // ...but no more of them than the share sent to it, on that route and overall.
    expect(tally.total).toBeGreaterThan(1_000);
    expect(faulty / tally.requests.get('GET /posts/{id}')!).toBeLessThanOrEqual(SHARE / 100 + TOLERANCE);
    expect(tally.failedShare).toBeLessThanOrEqual(SHARE / 100 + TOLERANCE);
    // It ran as a canary: its log lines say so.
    expect(readFileSync(`.run/logs/posts@${CANARY_REPLICA}.log`, 'utf8')).toContain('"track":"canary"');
    // The canary is gone; the stable replicas serve.
    expect(await answers(replicaPort('posts', CANARY_REPLICA))).toBe(false);
    await whenReady('posts', 1);
    await whenReady('posts', 2);
    expect((await client.call('GET', `/users/${accounts[0].username}/posts`)).status).toBe(200);
  }, 400_000);

  it('a healthy gateway canary behind HAProxy is promoted, and taken out again', async () => {
    const { code, output, tally } = await underLoad('gateway');

    expect(output).toMatch(/^verdict: promote$/m);
    expect(code).toBe(0);
    // It served its share (at least the minimum a verdict needs) without failures.
    const canaryRequests = Number(/^ {2}canary +(\d+)/m.exec(output)?.[1]);
    expect(canaryRequests).toBeGreaterThanOrEqual(100);
    expect(tally.failedShare).toBeLessThan(0.01);
    expect(await answers(replicaPort('gateway', CANARY_REPLICA))).toBe(false);
  }, 400_000);
});
