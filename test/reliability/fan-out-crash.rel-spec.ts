/**
 * Fan-out survives a crash: SIGKILL the posts service while it is writing a
 * post into its author's followers' feeds, start it again, and every
 * follower's feed ends up with the post exactly once. The Redis writes run
 * inside the inbox handler, so an event whose fan-out did not finish was
 * never marked processed and is delivered again.
 *
 * posts runs with a threshold above the follower count (so the author is
 * fanned out, not merged at read time) and one follower per batch (so the
 * fan-out takes long enough to be interrupted); it is restarted with the
 * normal settings afterwards.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { type Account, newAccount } from '../support/accounts.js';
import { adminPool } from '../support/db.js';
import { setting } from '../support/env.js';
import { eventually } from '../support/eventually.js';
import { createPost, feedIds, follow, inBatches } from '../support/posts.js';

const FOLLOWERS = 60;
const POSTS = 3;
const CRASH_SETTINGS = { FEED_CELEBRITY_THRESHOLD: '100000', FEED_FANOUT_BATCH_SIZE: '1' };

function posts(command: 'start' | 'restart' | 'kill', overrides: Record<string, string> = {}): void {
  execFileSync('scripts/apps.sh', [command, 'posts'], { stdio: 'inherit', timeout: 180_000, env: { ...process.env, ...overrides } });
}

const feedKey = (userId: string) => `warble:feed:{u${userId}}`;
const member = (postId: string) => postId.padStart(20, '0');

/** How many (follower, post) pairs are in Redis feeds right now. */
async function delivered(redis: Redis, followers: Account[], postIds: string[]): Promise<number> {
  const pipeline = redis.pipeline();
  for (const follower of followers) for (const id of postIds) pipeline.zscore(feedKey(follower.id), member(id));
  const results = (await pipeline.exec()) ?? [];
  return results.filter(([error, score]) => !error && score !== null).length;
}

describe('fan-out and a crash of the posts service', () => {
  let redis: Redis;
  let db: pg.Pool;

  beforeAll(() => {
    redis = new Redis(setting('REDIS_URL', 'redis://127.0.0.1:6379'));
    db = adminPool();
    posts('restart', CRASH_SETTINGS);
  });

  afterAll(async () => {
    posts('restart'); // back to the settings of .env, whatever happened
    redis.disconnect();
    await db.end();
  });

  it('completes every follower’s feed exactly once after a SIGKILL mid-fan-out', async () => {
    const author = await newAccount('crash');
    const followers = await inBatches(Array.from({ length: FOLLOWERS }, (_, i) => i), 6, () => newAccount('cfan'));
    await inBatches(followers, 10, (follower) => follow(follower, author));
    await eventually(
      async () => {
        const result = await db.query<{ followers: number }>('SELECT followers FROM posts.follower_counts WHERE user_id = $1', [author.id]);
        return result.rows[0]?.followers === FOLLOWERS ? true : undefined;
      },
      { timeoutMs: 60_000, what: 'posts knows every follow' },
    );
    // Reading a feed once makes it exist in Redis: fan-out only writes into existing feeds.
    await inBatches(followers, 10, (follower) => feedIds(follower));
    expect(await redis.exists(...followers.map((follower) => feedKey(follower.id)))).toBe(FOLLOWERS);

    const created = await Promise.all(Array.from({ length: POSTS }, (_, i) => createPost(author, `crash test post ${i}`)));
    const postIds = created.map((post) => post.id);
    const total = FOLLOWERS * POSTS;

    // SIGKILL as soon as the fan-out is under way but not finished (the same signal `apps.sh kill` sends).
    const pid = Number(readFileSync('.run/pids/posts.pid', 'utf8').trim());
    let atKill = -1;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const count = await delivered(redis, followers, postIds);
      if (count > 0) {
        process.kill(-pid, 'SIGKILL');
        atKill = count;
        break;
      }
    }
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(total); // really mid-way: one follower per batch makes the fan-out slow enough
    process.stdout.write(`fan-out crash test: ${atKill} of ${total} feed entries were written when posts was killed\n`);
    posts('kill'); // tidies the pid file; the process is already gone
    const midway = await delivered(redis, followers, postIds);

    posts('start', CRASH_SETTINGS);
    await eventually(async () => ((await delivered(redis, followers, postIds)) === total ? true : undefined), {
      timeoutMs: 180_000,
      intervalMs: 500,
      what: `every follower's feed after the restart (${midway} of ${total} right after the kill)`,
    });

    const feeds = await inBatches(followers, 10, (follower) => feedIds(follower));
    for (const ids of feeds) {
      for (const id of postIds) expect(ids.filter((seen) => seen === id)).toHaveLength(1);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
