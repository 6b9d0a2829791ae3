import type { Account } from './accounts.js';
import { api, type ApiResponse } from './api.js';
import { eventually } from './eventually.js';

export interface PostBody {
  id: string;
  author: { id: string; username: string; displayName: string };
  text: string;
  createdAt: string;
  likeCount: number;
  commentCount: number;
  likedByMe: boolean;
  hashtags: string[];
  mentions: string[];
}

export interface PageBody<T> {
  items: T[];
  nextCursor: string | null;
}

export async function createPost(author: Account, text: string): Promise<PostBody> {
  const response = await api<PostBody>('POST', '/api/v1/posts', { token: author.accessToken, body: { text } });
  if (response.status !== 201) throw new Error(`create post failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/**
 * Follows through graph. Graph learns of a new account from its
 * user.registered event, so a follow of a brand-new account may answer 404
 * for a moment: retried until 204.
 */
export async function follow(follower: Account, followee: Account): Promise<void> {
  await eventually(async () => ((await api('POST', `/api/v1/users/${followee.username}/follow`, { token: follower.accessToken })).status === 204 ? true : undefined), {
    what: `${follower.username} follows ${followee.username}`,
  });
}

export async function unfollow(follower: Account, followee: Account): Promise<void> {
  const response = await api('DELETE', `/api/v1/users/${followee.username}/follow`, { token: follower.accessToken });
  if (response.status !== 204) throw new Error(`unfollow failed: ${response.status} ${JSON.stringify(response.body)}`);
}

/** Every page of a list, following nextCursor to the end. */
export async function allPages<T>(path: string, token?: string, limit = 100): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const response: ApiResponse<PageBody<T>> = await api<PageBody<T>>('GET', `${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token });
    if (response.status !== 200) throw new Error(`GET ${path} failed: ${response.status} ${JSON.stringify(response.body)}`);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error(`${path} did not end`);
}

/** Ids of the reader's whole home feed, newest first. */
export async function feedIds(reader: Account, limit = 100): Promise<string[]> {
  return (await allPages<PostBody>('/api/v1/feed', reader.accessToken, limit)).map((post) => post.id);
}

/** Waits until the reader's feed satisfies `check` (feeds change through events). */
export function feedEventually(reader: Account, check: (ids: string[]) => boolean, what: string, timeoutMs = 15_000): Promise<string[]> {
  return eventually(
    async () => {
      const ids = await feedIds(reader);
      return check(ids) ? ids : undefined;
    },
    { what, timeoutMs, intervalMs: 150 },
  );
}

/** Runs `work` over `items` with at most `parallel` at a time (registration hashes passwords: keep it gentle). */
export async function inBatches<T, R>(items: T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += parallel) results.push(...(await Promise.all(items.slice(i, i + parallel).map(work))));
  return results;
}

/** Decimal ids compared as numbers (they exceed 2^53). */
export function isNewestFirst(ids: string[]): boolean {
  return ids.every((id, index) => index === 0 || BigInt(ids[index - 1]) > BigInt(id));
}
