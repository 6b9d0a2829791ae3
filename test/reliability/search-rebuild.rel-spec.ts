/**
 * Rebuilding the search index from the Kafka topics (make search-rebuild)
 * gives the same answers as the live index.
 */
import { execFileSync } from 'node:child_process';
import { newAccount } from '../support/accounts.js';
import { api } from '../support/api.js';
import { uniqueUsername } from '../support/env.js';
import { eventually } from '../support/eventually.js';

const queries = (marker: string) => [`/api/v1/search/posts?q=${marker}&limit=100`, `/api/v1/search/posts?q=%23${marker}&limit=100`, `/api/v1/search/users?q=${marker.slice(0, 8)}&limit=100`];

async function answers(marker: string): Promise<string> {
  const bodies = await Promise.all(queries(marker).map(async (path) => (await api('GET', path)).body));
  return JSON.stringify(bodies);
}

describe('search index rebuild', () => {
  it('replays the topics into an empty index with identical results', async () => {
    const marker = `rb${uniqueUsername('r').slice(2, 14)}`;
    const author = await newAccount(marker.slice(0, 8));
    const ids: string[] = [];
    for (const text of [`кошки ${marker}`, `running #${marker}`, `third ${marker} post`]) {
      ids.push((await api<{ id: string }>('POST', '/api/v1/posts', { token: author.accessToken, body: { text } })).body.id);
    }
    await api('DELETE', `/api/v1/posts/${ids[2]}`, { token: author.accessToken });
    await api('POST', `/api/v1/posts/${ids[0]}/like`, { token: author.accessToken });
    const live = await eventually(async () => {
      const page = (await api<{ items: { id: string; likeCount: number }[] }>('GET', `/api/v1/search/posts?q=${marker}&limit=100`)).body.items;
      return page.length === 2 && page.some((p) => p.likeCount === 1) ? answers(marker) : undefined;
    }, { timeoutMs: 30_000, what: 'the live index to settle' });

    execFileSync('make', ['--no-print-directory', 'search-rebuild'], { stdio: 'inherit', timeout: 180_000 });

    const rebuilt = await eventually(async () => {
      const now = await answers(marker);
      return now === live ? now : undefined;
    }, { timeoutMs: 180_000, intervalMs: 1_000, what: 'the rebuilt index to match the live one' });
    expect(rebuilt).toBe(live);
  });
});
