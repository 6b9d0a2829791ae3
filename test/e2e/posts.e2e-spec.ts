/** "Posts, likes, feed" of the API contract (posts and likes), route by route, through the running gateway. */
import { type Account, newAccount } from '../support/accounts.js';
import { api, type ApiResponse } from '../support/api.js';
import { Topics } from '@app/contracts';
import { eventually } from '../support/eventually.js';
import { allPages, createPost, inBatches, isNewestFirst, type PageBody, type PostBody } from '../support/posts.js';
import { readTopicToEnd } from '../support/kafka.js';
import { setting } from '../support/env.js';
import { send } from '../support/http.js';
import { expectProblem, problemFields } from '../support/problem.js';

const UNKNOWN_ID = '7401234567890123456';
const MALFORMED_IDS = ['abc', '0', '-1', '1.5', '99999999999999999999', '12abc'];

async function getPost(id: string, token?: string) {
  return api<PostBody>('GET', `/api/v1/posts/${id}`, { token });
}

/** Likes, counts and deletion show through reads at once (same service, same database). */
async function likeCount(id: string): Promise<number> {
  const response = await getPost(id);
  expect(response.status).toBe(200);
  return response.body.likeCount;
}

let ada: Account;
let bob: Account;

beforeAll(async () => {
  [ada, bob] = await Promise.all([newAccount('posts'), newAccount('posts')]);
});

describe('POST /api/v1/posts', () => {
  it('answers 201 with the whole Post, text trimmed, hashtags lower-cased, mentions without @', async () => {
    const response = await api<PostBody>('POST', '/api/v1/posts', { token: ada.accessToken, body: { text: '  Hello #World, #кошки and #日本 with @Grace_H and @grace_h #WORLD 🐱\n ' } });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[1-9][0-9]{0,18}$/),
      author: { id: ada.id, username: ada.username, displayName: expect.any(String) },
      text: 'Hello #World, #кошки and #日本 with @Grace_H and @grace_h #WORLD 🐱',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      likeCount: 0,
      commentCount: 0,
      likedByMe: false,
      hashtags: ['world', 'кошки', '日本'],
      mentions: ['Grace_H'],
    });
    expect(Math.abs(Date.parse(response.body.createdAt) - Date.now())).toBeLessThan(60_000);
  });

  it('gives time-ordered ids: a later post has a larger id', async () => {
    const first = await createPost(ada, 'first');
    const second = await createPost(ada, 'second');
    expect(BigInt(second.id) > BigInt(first.id)).toBe(true);
  });

  it('counts length in code points after trimming: 280 emoji, Cyrillic or CJK characters pass, 281 do not', async () => {
    for (const char of ['🐱', 'ж', '語', 'a']) {
      const ok = await api<PostBody>('POST', '/api/v1/posts', { token: ada.accessToken, body: { text: `  ${char.repeat(280)}  ` } });
      expect(ok.status).toBe(201);
      expect([...ok.body.text]).toHaveLength(280);
      const tooLong = await api('POST', '/api/v1/posts', { token: ada.accessToken, body: { text: char.repeat(281) } });
      expect(problemFields(expectProblem(tooLong, 400))).toEqual(['text']);
    }
    // A skin-toned emoji is two code points: 140 of them are exactly 280.
    expect((await api('POST', '/api/v1/posts', { token: ada.accessToken, body: { text: '👍🏽'.repeat(140) } })).status).toBe(201);
    expect((await api('POST', '/api/v1/posts', { token: ada.accessToken, body: { text: `${'👍🏽'.repeat(140)}x` } })).status).toBe(400);
  });

  it.each([
    ['empty text', { text: '' }],
    ['blank text', { text: ' \n\t ' }],
    ['missing text', {}],
    ['non-string text', { text: 42 }],
    ['an unknown field', { text: 'hi', authorId: '1' }],
  ])('refuses %s with 400', async (_name, body) => {
    const response = await api('POST', '/api/v1/posts', { token: ada.accessToken, body });
    expect(problemFields(expectProblem(response, 400)).length).toBeGreaterThan(0);
  });

  it.each([
    ['a zero-width space', '\u200B'],
    ['zero-width joiners and a word joiner', '\u200C\u200D\u2060'],
    ['byte order marks between spaces', ' \uFEFF \uFEFF '],
    ['combining marks alone', '\u0301\u0308'],
    ['format characters and line breaks', '\u200E\n\u202E\n\u00AD'],
    ['Hangul fillers and a blank Braille pattern', '\u3164\u2800'],
  ])('refuses a post of only invisible characters (%s) with 400 naming text', async (_name, text) => {
    const response = await api('POST', '/api/v1/posts', { token: ada.accessToken, body: { text } });
    expect(problemFields(expectProblem(response, 400))).toEqual(['text']);
    expect(response.body).toMatchObject({ errors: [{ field: 'text', message: expect.stringContaining('visible') }] });
  });

  it('keeps visible text that contains invisible characters', async () => {
    const created = await createPost(ada, '\u200Bhi\u200D👩🏽\u200D💻');
    expect(created.text).toBe('\u200Bhi\u200D👩🏽\u200D💻');
  });

  it('applies the same visible-text rule at the posts service, past the gateway', async () => {
    const direct = await send({ baseUrl: `http://127.0.0.1:${setting('POSTS_PORT')}`, method: 'POST', path: '/posts', json: { text: '\u200B\u200B' }, headers: { authorization: `Bearer ${ada.accessToken}` } });
    expect(problemFields(expectProblem(direct, 400))).toEqual(['text']);
  });

  it('needs a token (401)', async () => {
    expectProblem(await api('POST', '/api/v1/posts', { body: { text: 'anonymous' } }), 401);
  });
});

describe('GET /api/v1/posts/{id}', () => {
  it('answers anonymously with likedByMe false, and personalised with a token', async () => {
    const post = await createPost(ada, 'read me');
    expect((await api('POST', `/api/v1/posts/${post.id}/like`, { token: bob.accessToken })).status).toBe(204);
    const anonymous = await getPost(post.id);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ ...post, likeCount: 1, likedByMe: false });
    expect((await getPost(post.id, bob.accessToken)).body).toMatchObject({ likeCount: 1, likedByMe: true });
    expect((await getPost(post.id, ada.accessToken)).body).toMatchObject({ likeCount: 1, likedByMe: false });
  });

  it.each(MALFORMED_IDS)('answers 400 for the malformed id %p', async (id) => {
    expect(problemFields(expectProblem(await getPost(encodeURIComponent(id)), 400))).toEqual(['id']);
  });

  it('answers 404 POST_NOT_FOUND for an unknown id', async () => {
    expect(expectProblem(await getPost(UNKNOWN_ID), 404).code).toBe('POST_NOT_FOUND');
  });
});

describe('DELETE /api/v1/posts/{id}', () => {
  it('lets only the author delete: 403 for anyone else, then 204, then 404 everywhere', async () => {
    const post = await createPost(ada, 'short-lived');
    expect(expectProblem(await api('DELETE', `/api/v1/posts/${post.id}`, { token: bob.accessToken }), 403).code).toBe('FORBIDDEN');
    expect((await getPost(post.id)).status).toBe(200);

    const deleted = await api('DELETE', `/api/v1/posts/${post.id}`, { token: ada.accessToken });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect(expectProblem(await getPost(post.id), 404).code).toBe('POST_NOT_FOUND');
    expect(expectProblem(await api('DELETE', `/api/v1/posts/${post.id}`, { token: ada.accessToken }), 404).code).toBe('POST_NOT_FOUND');
    expect(expectProblem(await api('POST', `/api/v1/posts/${post.id}/like`, { token: bob.accessToken }), 404).code).toBe('POST_NOT_FOUND');
    expect(expectProblem(await api('DELETE', `/api/v1/posts/${post.id}/like`, { token: bob.accessToken }), 404).code).toBe('POST_NOT_FOUND');
    const timeline = await allPages<PostBody>(`/api/v1/users/${ada.username}/posts`);
    expect(timeline.map((p) => p.id)).not.toContain(post.id);
  });

  it('answers 404 for an unknown post, 400 for a malformed id, 401 without a token', async () => {
    expectProblem(await api('DELETE', `/api/v1/posts/${UNKNOWN_ID}`, { token: ada.accessToken }), 404);
    expectProblem(await api('DELETE', '/api/v1/posts/nope', { token: ada.accessToken }), 400);
    const post = await createPost(ada, 'still here');
    expectProblem(await api('DELETE', `/api/v1/posts/${post.id}`), 401);
    expect((await getPost(post.id)).status).toBe(200);
  });
});

describe('POST and DELETE /api/v1/posts/{id}/like', () => {
  it('is idempotent: a second like or unlike changes nothing', async () => {
    const post = await createPost(ada, 'like me twice');
    for (let i = 0; i < 2; i++) expect((await api('POST', `/api/v1/posts/${post.id}/like`, { token: bob.accessToken })).status).toBe(204);
    expect(await likeCount(post.id)).toBe(1);
    expect((await getPost(post.id, bob.accessToken)).body.likedByMe).toBe(true);
    for (let i = 0; i < 2; i++) expect((await api('DELETE', `/api/v1/posts/${post.id}/like`, { token: bob.accessToken })).status).toBe(204);
    expect(await likeCount(post.id)).toBe(0);
    expect((await getPost(post.id, bob.accessToken)).body.likedByMe).toBe(false);
  });

  it('answers 404 for an unknown post, 400 for a malformed id and 401 without a token', async () => {
    expect(expectProblem(await api('POST', `/api/v1/posts/${UNKNOWN_ID}/like`, { token: bob.accessToken }), 404).code).toBe('POST_NOT_FOUND');
    expect(expectProblem(await api('DELETE', `/api/v1/posts/${UNKNOWN_ID}/like`, { token: bob.accessToken }), 404).code).toBe('POST_NOT_FOUND');
    expectProblem(await api('POST', '/api/v1/posts/x1/like', { token: bob.accessToken }), 400);
    const post = await createPost(ada, 'no anonymous likes');
    expectProblem(await api('POST', `/api/v1/posts/${post.id}/like`), 401);
    expectProblem(await api('DELETE', `/api/v1/posts/${post.id}/like`), 401);
  });

  it('keeps likeCount exact under 20 concurrent likes, then unlikes, by one user', async () => {
    const post = await createPost(ada, 'hammer the like button');
    const likes = await Promise.all(Array.from({ length: 20 }, () => api('POST', `/api/v1/posts/${post.id}/like`, { token: bob.accessToken })));
    expect(likes.map((r) => r.status)).toEqual(Array(20).fill(204));
    expect((await getPost(post.id, bob.accessToken)).body).toMatchObject({ likeCount: 1, likedByMe: true });
    const unlikes = await Promise.all(Array.from({ length: 20 }, () => api('DELETE', `/api/v1/posts/${post.id}/like`, { token: bob.accessToken })));
    expect(unlikes.map((r) => r.status)).toEqual(Array(20).fill(204));
    expect((await getPost(post.id, bob.accessToken)).body).toMatchObject({ likeCount: 0, likedByMe: false });
  });

  it('keeps likeCount and likedByMe exact under 20 concurrent likes and unlikes by different users', async () => {
    const post = await createPost(ada, 'crowd pleaser');
    const fans = await inBatches(Array.from({ length: 20 }, (_, i) => i), 5, () => newAccount('fan'));
    const liked = await Promise.all(fans.map((fan) => api('POST', `/api/v1/posts/${post.id}/like`, { token: fan.accessToken })));
    expect(liked.every((r) => r.status === 204)).toBe(true);
    expect(await likeCount(post.id)).toBe(20);

    // Half unlike while the other half like again (a no-op), all at once.
    const [leaving, staying] = [fans.slice(0, 10), fans.slice(10)];
    const mixed = await Promise.all([
      ...leaving.map((fan) => api('DELETE', `/api/v1/posts/${post.id}/like`, { token: fan.accessToken })),
      ...staying.map((fan) => api('POST', `/api/v1/posts/${post.id}/like`, { token: fan.accessToken })),
    ]);
    expect(mixed.every((r) => r.status === 204)).toBe(true);
    expect(await likeCount(post.id)).toBe(10);
    const views = await Promise.all(fans.map((fan) => getPost(post.id, fan.accessToken)));
    expect(views.map((v) => v.body.likedByMe)).toEqual([...Array(10).fill(false), ...Array(10).fill(true)]);
  });
});

describe('GET /api/v1/users/{username}/posts', () => {
  let author: Account;
  let posts: PostBody[];

  beforeAll(async () => {
    author = await newAccount('tl');
    // posts learns of the account from user.registered; until then the timeline is a 404.
    await eventually(async () => ((await api('GET', `/api/v1/users/${author.username}/posts`)).status === 200 ? true : undefined), { what: 'posts knows the author' });
    posts = [];
    for (let i = 0; i < 7; i++) posts.push(await createPost(author, `timeline post ${i}`));
  });

  it("pages through the author's posts newest first, without gaps or duplicates", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response: ApiResponse<PageBody<PostBody>> = await api<PageBody<PostBody>>('GET', `/api/v1/users/${author.username}/posts?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...response.body.items.map((p) => p.id));
      cursor = response.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(posts.map((p) => p.id).reverse());
  });

  it('leaves deleted posts out, personalises likedByMe and works for any case of the username', async () => {
    const doomed = posts[3];
    expect((await api('DELETE', `/api/v1/posts/${doomed.id}`, { token: author.accessToken })).status).toBe(204);
    expect((await api('POST', `/api/v1/posts/${posts[6].id}/like`, { token: bob.accessToken })).status).toBe(204);
    const page = await api<PageBody<PostBody>>('GET', `/api/v1/users/${author.username.toUpperCase()}/posts?limit=100`, { token: bob.accessToken });
    expect(page.status).toBe(200);
    expect(page.body.items.map((p) => p.id)).toEqual(posts.filter((p) => p !== doomed).map((p) => p.id).reverse());
    expect(page.body.items[0]).toMatchObject({ id: posts[6].id, likeCount: 1, likedByMe: true, author: { id: author.id, username: author.username } });
    expect(page.body.nextCursor).toBeNull();
    expect(isNewestFirst(page.body.items.map((p) => p.id))).toBe(true);
  });

  it('answers an empty page for a user without posts and 404 for an unknown user', async () => {
    const quiet = await newAccount('quiet');
    const empty = await eventually(async () => {
      const response = await api<PageBody<PostBody>>('GET', `/api/v1/users/${quiet.username}/posts`);
      return response.status === 200 ? response.body : undefined;
    }, { what: 'posts knows the new user' });
    expect(empty).toEqual({ items: [], nextCursor: null });
    expect(expectProblem(await api('GET', '/api/v1/users/nobody_here_at_all/posts'), 404).code).toBe('USER_NOT_FOUND');
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'cursor=@@@', `cursor=${Buffer.from('x:1').toString('base64url')}`])('answers 400 for %s', async (query) => {
    expectProblem(await api('GET', `/api/v1/users/${author.username}/posts?${query}`), 400);
  });
});

describe('commentCount', () => {
  it('follows comments being added and deleted', async () => {
    const post = await createPost(ada, 'talk to me');
    const comment = await eventually(async () => {
      const response = await api<{ id: string }>('POST', `/api/v1/posts/${post.id}/comments`, { token: bob.accessToken, body: { text: 'hello!' } });
      return response.status === 201 ? response.body : undefined;
    }, { what: 'comments knows the post' });
    await eventually(async () => ((await getPost(post.id)).body.commentCount === 1 ? true : undefined), { what: 'commentCount 1' });
    expect((await api('DELETE', `/api/v1/comments/${comment.id}`, { token: bob.accessToken })).status).toBe(204);
    await eventually(async () => ((await getPost(post.id)).body.commentCount === 0 ? true : undefined), { what: 'commentCount 0' });
  });
});

describe('posts.events.v1', () => {
  it('carries post.created and post.deleted, and post.liked/unliked only when the like really changed, keyed by post id', async () => {
    const post = await createPost(ada, 'watch my events #Events @someone');
    await Promise.all(Array.from({ length: 5 }, () => api('POST', `/api/v1/posts/${post.id}/like`, { token: bob.accessToken })));
    await Promise.all(Array.from({ length: 5 }, () => api('DELETE', `/api/v1/posts/${post.id}/like`, { token: bob.accessToken })));
    expect((await api('DELETE', `/api/v1/posts/${post.id}`, { token: ada.accessToken })).status).toBe(204);

    const events = await eventually(
      async () => {
        const messages = await readTopicToEnd(Topics.posts, (message) => message.key === post.id);
        const parsed = messages.map((message) => ({ headers: message.headers, envelope: JSON.parse(message.value) as { type: string; aggregateId: string; producer: string; data: Record<string, unknown> } }));
        return parsed.some((event) => event.envelope.type === 'post.deleted') ? parsed : undefined;
      },
      { timeoutMs: 30_000, what: 'the post’s events on Kafka' },
    );
    expect(events.map((event) => event.envelope.type)).toEqual(['post.created', 'post.liked', 'post.unliked', 'post.deleted']);
    expect(events.every((event) => event.envelope.producer === 'posts' && event.envelope.aggregateId === post.id)).toBe(true);
    expect(events.every((event) => event.headers['event-type'] === event.envelope.type)).toBe(true);
    expect(events[0].envelope.data).toMatchObject({ postId: post.id, authorId: ada.id, text: post.text, hashtags: ['events'], mentions: ['someone'], createdAt: post.createdAt });
    expect(events[1].envelope.data).toMatchObject({ postId: post.id, userId: bob.id });
    expect(events[3].envelope.data).toMatchObject({ postId: post.id, authorId: ada.id, deletedAt: expect.any(String) });
  });
});
