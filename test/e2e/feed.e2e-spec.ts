/**
 * The home feed (docs/api.md, "Routes"; docs/architecture.md, "The home
 * feed") through the running gateway: fan-out on write for ordinary authors,
 * read-time merge for celebrities (more followers than
 * FEED_CELEBRITY_THRESHOLD), follow/unfollow/delete semantics, gap-free
 * paging while posts arrive, and a feed that survives losing all of Redis.
 */
import type { Cluster, Redis } from 'ioredis';
import type pg from 'pg';
import { type Account, newAccount } from '../support/accounts.js';
import { api, type ApiResponse } from '../support/api.js';
import { adminPool } from '../support/db.js';
import { setting } from '../support/env.js';
import { eventually } from '../support/eventually.js';
import { createPost, feedEventually, feedIds, follow, inBatches, isNewestFirst, type PageBody, type PostBody, unfollow } from '../support/posts.js';
import { expectProblem } from '../support/problem.js';
import { flushAllRedis, testRedis } from '../support/redis.js';

const threshold = Number(setting('FEED_CELEBRITY_THRESHOLD', '1000'));
const feedKey = (userId: string) => `warble:feed:{u${userId}}`;
const member = (postId: string) => postId.padStart(20, '0');

const containsAll = (ids: string[], wanted: string[]) => wanted.every((id) => ids.includes(id));
const containsNone = (ids: string[], unwanted: string[]) => unwanted.every((id) => !ids.includes(id));

let redis: Redis | Cluster;
let db: pg.Pool;

beforeAll(() => {
  redis = testRedis();
  db = adminPool();
});
afterAll(async () => {
  redis.disconnect();
  await db.end();
});

/** posts' own view of an author's follower count (what decides fan-out vs read-time merge). */
async function followersInPosts(author: Account): Promise<number> {
  const result = await db.query<{ followers: number }>('SELECT followers FROM posts.follower_counts WHERE user_id = $1', [author.id]);
  return result.rows[0]?.followers ?? 0;
}

/**
 * Pages through the reader's feed with a small page size while `writers`
 * keep posting. Every post that existed before paging began must show up
 * exactly once, in strictly newest-first order across pages.
 */
async function expectStablePaging(reader: Account, writers: Account[], existing: string[]): Promise<void> {
  // With several posts replicas (the cluster topology), a celebrity's newest post reaches the
  // readers another replica serves up to FEED_CELEBRITY_POSTS_LOCAL_TTL_MS later (its local
  // cache, docs/architecture.md): `existing` holds for every replica once that has passed.
  await new Promise((settle) => setTimeout(settle, Number(setting('FEED_CELEBRITY_POSTS_LOCAL_TTL_MS', '500')) + 100));
  let writing = true;
  const written: string[] = [];
  const background = (async () => {
    for (let i = 0; writing && i < 30; i++) written.push((await createPost(writers[i % writers.length], `written while paging ${i}`)).id);
  })();
  const seen: string[] = [];
  let cursor: string | null = null;
  try {
    for (let page = 0; page < 200; page++) {
      const response: ApiResponse<PageBody<PostBody>> = await api<PageBody<PostBody>>('GET', `/api/v1/feed?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: reader.accessToken });
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(3);
      if (response.body.nextCursor) expect(response.body.items).toHaveLength(3);
      seen.push(...response.body.items.map((post) => post.id));
      cursor = response.body.nextCursor;
      if (!cursor) break;
    }
  } finally {
    writing = false;
    await background;
  }
  expect(new Set(seen).size).toBe(seen.length);
  expect(isNewestFirst(seen)).toBe(true);
  expect(seen.filter((id) => existing.includes(id))).toEqual(existing);
  expect(written.length).toBeGreaterThan(0);
}

describe('GET /api/v1/feed: input', () => {
  it('needs a token (401)', async () => {
    expectProblem(await api('GET', '/api/v1/feed'), 401);
  });

  it.each(['limit=0', 'limit=101', 'limit=x', 'cursor=%25%25', `cursor=${Buffer.from('i:abc').toString('base64url')}`])('answers 400 for %s', async (query) => {
    const account = await newAccount('feedq');
    expectProblem(await api('GET', `/api/v1/feed?${query}`, { token: account.accessToken }), 400);
  });

  it('answers an empty page for a new user', async () => {
    const account = await newAccount('feed0');
    const response = await api<PageBody<PostBody>>('GET', '/api/v1/feed', { token: account.accessToken });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [], nextCursor: null });
  });
});

describe('GET /api/v1/feed: ordinary authors (fan-out on write)', () => {
  let reader: Account;
  let author: Account;
  let stranger: Account;

  beforeAll(async () => {
    [reader, author, stranger] = await Promise.all([newAccount('rdr'), newAccount('auth'), newAccount('strg')]);
  });

  it('shows authors their own new post on the very next read, with their feed already in Redis', async () => {
    const writer = await newAccount('own');
    await feedIds(writer); // the feed exists from here on, so a rebuild cannot hide a missing write
    expect(await redis.exists(feedKey(writer.id))).toBe(1);
    const post = await createPost(writer, 'read your own writes');
    expect((await feedIds(writer))[0]).toBe(post.id);
  });

  it("holds the reader's own posts and those of followed authors, never strangers'", async () => {
    const before = await createPost(author, 'posted before the follow');
    const own = await createPost(reader, 'my own post');
    expect(await feedIds(reader)).toEqual([own.id]);

    await follow(reader, author);
    await feedEventually(reader, (ids) => ids.includes(before.id), 'the followee’s earlier post after the follow');

    const after = await createPost(author, 'posted after the follow');
    const strange = await createPost(stranger, 'nobody follows me');
    const ids = await feedEventually(reader, (seen) => seen.includes(after.id), 'the followee’s new post');
    expect(ids).toEqual([after.id, own.id, before.id]);
    expect(ids).not.toContain(strange.id);

    const page = await api<PageBody<PostBody>>('GET', '/api/v1/feed', { token: reader.accessToken });
    expect(page.body.items[0]).toMatchObject({ id: after.id, text: 'posted after the follow', author: { id: author.id, username: author.username }, likedByMe: false, likeCount: 0 });
    expect((await api('POST', `/api/v1/posts/${after.id}/like`, { token: reader.accessToken })).status).toBe(204);
    const liked = await api<PageBody<PostBody>>('GET', '/api/v1/feed', { token: reader.accessToken });
    expect(liked.body.items[0]).toMatchObject({ id: after.id, likeCount: 1, likedByMe: true });
    // The author's own feed has their posts too.
    await feedEventually(author, (seen) => containsAll(seen, [after.id, before.id]), 'the author’s own feed');
  });

  it('drops a deleted post at once', async () => {
    const doomed = await createPost(author, 'about to vanish');
    await feedEventually(reader, (ids) => ids.includes(doomed.id), 'the post before deletion');
    expect((await api('DELETE', `/api/v1/posts/${doomed.id}`, { token: author.accessToken })).status).toBe(204);
    expect(await feedIds(reader)).not.toContain(doomed.id);
    expect(await feedIds(author)).not.toContain(doomed.id);
  });

  it('pages without gaps or duplicates while new posts arrive', async () => {
    const existing: string[] = [];
    for (let i = 0; i < 7; i++) existing.push((await createPost(i % 2 ? author : reader, `paging seed ${i}`)).id);
    const ids = await feedEventually(reader, (seen) => containsAll(seen, existing), 'the seed posts');
    await expectStablePaging(reader, [author, reader], ids);
  });

  it("removes the followee's posts after an unfollow, and keeps the reader's own", async () => {
    const authorPosts = await feedIds(author); // the author follows no one: these are all theirs
    const own = await createPost(reader, 'still mine');
    await unfollow(reader, author);
    const ids = await feedEventually(reader, (seen) => containsNone(seen, authorPosts), 'the followee’s posts gone after the unfollow');
    expect(ids).toContain(own.id);
  });
});

describe('GET /api/v1/feed: a celebrity (merged at read time)', () => {
  let celebrity: Account;
  let fans: Account[];
  let reader: Account;
  let friend: Account;
  let stranger: Account;

  beforeAll(async () => {
    celebrity = await newAccount('celeb');
    [friend, stranger] = await Promise.all([newAccount('frnd'), newAccount('strg')]);
    // Two above the threshold, so one unfollow still leaves a celebrity.
    fans = await inBatches(Array.from({ length: threshold + 2 }, (_, i) => i), 6, () => newAccount('fan'));
    reader = fans[0];
    await inBatches(fans, 10, (fan) => follow(fan, celebrity));
    await follow(reader, friend);
    await eventually(async () => ((await followersInPosts(celebrity)) === threshold + 2 ? true : undefined), { what: 'posts counts every follower', timeoutMs: 30_000 });
  }, 240_000);

  it("shows the celebrity's posts to followers without writing them into their Redis feeds", async () => {
    await feedIds(reader); // the reader's feed exists in Redis from here on
    const post = await createPost(celebrity, 'hello, many fans');
    await feedEventually(reader, (ids) => ids.includes(post.id), 'the celebrity post in a fan’s feed');
    await feedEventually(fans[fans.length - 1], (ids) => ids.includes(post.id), 'the celebrity post in another fan’s feed');
    await feedEventually(celebrity, (ids) => ids.includes(post.id), 'the celebrity’s own feed');
    expect(await redis.exists(feedKey(reader.id))).toBe(1);
    expect(await redis.zscore(feedKey(reader.id), member(post.id))).toBeNull();
    expect(await feedIds(stranger)).not.toContain(post.id);
  });

  it('merges celebrity and fanned-out posts into gap-free pages while both keep posting', async () => {
    const existing: string[] = [];
    for (let i = 0; i < 8; i++) existing.push((await createPost(i % 2 ? celebrity : friend, `merge seed ${i}`)).id);
    const ids = await feedEventually(reader, (seen) => containsAll(seen, existing), 'the merge seed posts');
    expect(isNewestFirst(ids)).toBe(true);
    await expectStablePaging(reader, [celebrity, friend], ids);
  });

  it('drops a deleted celebrity post', async () => {
    const doomed = await createPost(celebrity, 'celebrity regrets');
    await feedEventually(reader, (ids) => ids.includes(doomed.id), 'the celebrity post before deletion');
    expect((await api('DELETE', `/api/v1/posts/${doomed.id}`, { token: celebrity.accessToken })).status).toBe(204);
    expect(await feedIds(reader)).not.toContain(doomed.id);
  });

  it('drops the celebrity on unfollow and brings the earlier posts back on a new follow', async () => {
    const earlier = await createPost(celebrity, 'before the break-up');
    await feedEventually(reader, (ids) => ids.includes(earlier.id), 'the celebrity post');
    await unfollow(reader, celebrity);
    await feedEventually(reader, (ids) => !ids.includes(earlier.id), 'the celebrity post gone after the unfollow');
    expect(await followersInPosts(celebrity)).toBeGreaterThan(threshold);
    await follow(reader, celebrity);
    await feedEventually(reader, (ids) => ids.includes(earlier.id), 'the celebrity post back after a new follow');
  });

  it('rebuilds every feed from Postgres after FLUSHALL (every master of a cluster), with the same posts in the same order', async () => {
    const friendPost = await createPost(friend, 'before the flush');
    const celebrityPost = await createPost(celebrity, 'celebrity before the flush');
    const before = await feedEventually(reader, (ids) => containsAll(ids, [friendPost.id, celebrityPost.id]), 'posts before the flush');
    // The author's own feed gets the post by fan-out too: wait for it before taking the snapshot.
    const celebrityBefore = await feedEventually(celebrity, (ids) => ids.includes(celebrityPost.id), 'the celebrity post in their own feed');

    await flushAllRedis(redis);
    expect(await redis.exists(feedKey(reader.id))).toBe(0);

    expect(await feedIds(reader)).toEqual(before);
    expect(await redis.exists(feedKey(reader.id))).toBe(1);
    expect(await feedIds(celebrity)).toEqual(celebrityBefore);
    expect(await feedIds(stranger)).not.toContain(celebrityPost.id);

    // Fan-out and merge go on as before.
    const friendAfter = await createPost(friend, 'after the flush');
    const celebrityAfter = await createPost(celebrity, 'celebrity after the flush');
    const after = await feedEventually(reader, (ids) => containsAll(ids, [friendAfter.id, celebrityAfter.id]), 'posts after the flush');
    expect(after).toEqual([celebrityAfter.id, friendAfter.id, ...before]);
    await expectStablePaging(reader, [celebrity, friend], after);
  });
});
