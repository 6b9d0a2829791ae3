import type { ApiClient } from './client.js';
import type { BenchUser } from './seeder.js';

export interface ProbeTarget {
  author: BenchUser;
  followers: BenchUser[];
}

const SAMPLE = 10;
const DEADLINE_MS = 15_000;

/**
 * Posts as `author` and measures the time from the 201 until the post is on
 * the first page of every sampled follower's home feed (a missed deadline
 * counts as the deadline).
 */
export async function probeFanOut(api: ApiClient, target: ProbeTarget, n: number): Promise<number> {
  const sample = target.followers.slice(0, SAMPLE);
  const post = await api.expect<{ id: string }>(201, 'POST', '/api/v1/posts', { token: target.author.accessToken, body: { text: `fan-out probe ${n}` } });
  const start = performance.now();
  const pending = new Set(sample);
  while (pending.size > 0 && performance.now() - start < DEADLINE_MS) {
    await Promise.all(
      [...pending].map(async (follower) => {
        const page = await api.call<{ items: { id: string }[] }>('GET', '/api/v1/feed?limit=20', { token: follower.accessToken });
        if (page.body?.items?.some((item) => item.id === post.id)) pending.delete(follower);
      }),
    );
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Math.min(performance.now() - start, DEADLINE_MS);
}
