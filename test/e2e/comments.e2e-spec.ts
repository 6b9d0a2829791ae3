/** "Comments" of the API contract through the running gateway. */
import { type Account, newAccount } from '../support/accounts.js';
import { api } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { snowflakeAt } from '@app/platform';

interface Comment {
  id: string;
  postId: string;
  author: { id: string; username: string; displayName: string };
  text: string;
  createdAt: string;
}

async function newPost(author: Account, text = 'a post to talk about'): Promise<string> {
  const response = await api<{ id: string }>('POST', '/api/v1/posts', { token: author.accessToken, body: { text } });
  expect(response.status).toBe(201);
  return response.body.id;
}

/** The comments service learns of a post by event: retry until it has. */
function comment(account: Account, postId: string, text: string) {
  return eventually(async () => {
    const response = await api<Comment>('POST', `/api/v1/posts/${postId}/comments`, { token: account.accessToken, body: { text } });
    return response.status === 404 ? undefined : response;
  }, { what: `post ${postId} known to comments` });
}

describe('comments', () => {
  let author: Account;
  let reader: Account;
  beforeAll(async () => {
    [author, reader] = await Promise.all([newAccount('cauth'), newAccount('cread')]);
  });

  it('adds a comment (201) and lists them oldest first across pages', async () => {
    const postId = await newPost(author);
    const first = await comment(reader, postId, '  first: кошка 🐱  ');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ postId, text: 'first: кошка 🐱', author: { id: reader.id, username: reader.username } });
    for (const text of ['second', 'third']) expect((await comment(author, postId, text)).status).toBe(201);

    const page1 = await api<{ items: Comment[]; nextCursor: string | null }>('GET', `/api/v1/posts/${postId}/comments?limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((c) => c.text)).toEqual(['first: кошка 🐱', 'second']);
    const page2 = await api<{ items: Comment[]; nextCursor: string | null }>('GET', `/api/v1/posts/${postId}/comments?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((c) => c.text)).toEqual(['third']);
    expect(page2.body.nextCursor).toBeNull();
  });

  it('validates input and answers 404 for a missing post', async () => {
    const postId = await newPost(author);
    await comment(reader, postId, 'make the post known');
    const empty = await api('POST', `/api/v1/posts/${postId}/comments`, { token: reader.accessToken, body: { text: '   ' } });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ errors: [expect.objectContaining({ field: 'text' })] });
    const long = await api('POST', `/api/v1/posts/${postId}/comments`, { token: reader.accessToken, body: { text: 'ж'.repeat(501) } });
    expect(long.status).toBe(400);
    expect((await api('POST', `/api/v1/posts/${postId}/comments`, { token: reader.accessToken, body: { text: 'ж'.repeat(500) } })).status).toBe(201);
    expect((await api('POST', `/api/v1/posts/${postId}/comments`, { body: { text: 'anonymous' } })).status).toBe(401);
    expect((await api('POST', '/api/v1/posts/1234567/comments', { token: reader.accessToken, body: { text: 'hello' } })).status).toBe(404);
    expect((await api('GET', '/api/v1/posts/1234567/comments')).status).toBe(404);
    expect((await api('GET', '/api/v1/posts/abc/comments')).status).toBe(400);
    expect((await api('GET', `/api/v1/posts/${postId}/comments?cursor=bogus`)).status).toBe(400);
  });

  it('takes a comment right after the post is created, every time (the service waits for the post in flight)', async () => {
    for (let i = 0; i < 20; i++) {
      const postId = await newPost(author, `fresh post ${i}`);
      const response = await api<Comment>('POST', `/api/v1/posts/${postId}/comments`, { token: author.accessToken, body: { text: `at once ${i}` } });
      expect({ i, status: response.status, postId: response.body.postId }).toEqual({ i, status: 201, postId });
    }
    // Reading the comments of a brand-new post waits the same way.
    const postId = await newPost(author, 'read at once');
    const list = await api<{ items: Comment[] }>('GET', `/api/v1/posts/${postId}/comments`);
    expect({ status: list.status, items: list.body.items }).toEqual({ status: 200, items: [] });
  });

  it('answers 404 at once for an unknown old id, and for an unknown young one once posts said so', async () => {
    const old = snowflakeAt(new Date(Date.now() - 3_600_000));
    let started = Date.now();
    expect((await api('POST', `/api/v1/posts/${old}/comments`, { token: reader.accessToken, body: { text: 'hello' } })).status).toBe(404);
    expect((await api('GET', `/api/v1/posts/${old}/comments`)).status).toBe(404);
    expect(Date.now() - started).toBeLessThan(1_000);

    // An id made just now that no post has: waited for (COMMENTS_POST_ASK_AFTER_MS, 500 ms by default), then posts
    // is asked and says 404, well before COMMENTS_POST_WAIT_MS (3 s) runs out.
    const young = snowflakeAt(new Date());
    started = Date.now();
    const response = await api('POST', `/api/v1/posts/${young}/comments`, { token: reader.accessToken, body: { text: 'hello' } });
    const waited = Date.now() - started;
    expect(response.status).toBe(404);
    expect(waited).toBeGreaterThanOrEqual(400);
    expect(waited).toBeLessThan(2_500);
  });

  it('refuses a comment of only invisible characters with 400 naming text', async () => {
    const postId = await newPost(author);
    for (const text of ['\u200B', '\u200C\u200D\u2060', ' \uFEFF\u0301 ', '\u200E\n\u200F']) {
      const response = await api('POST', `/api/v1/posts/${postId}/comments`, { token: reader.accessToken, body: { text } });
      expect({ text, status: response.status }).toEqual({ text, status: 400 });
      expect(response.body).toMatchObject({ errors: [expect.objectContaining({ field: 'text', message: expect.stringContaining('visible') })] });
    }
  });

  it('lets the comment author and the post author delete, nobody else', async () => {
    const postId = await newPost(author);
    const stranger = await newAccount('cstr');
    const byReader = (await comment(reader, postId, 'mine')).body;
    const another = (await comment(reader, postId, 'also mine')).body;

    expect((await api('DELETE', `/api/v1/comments/${byReader.id}`, { token: stranger.accessToken })).status).toBe(403);
    expect((await api('DELETE', `/api/v1/comments/${byReader.id}`, { token: reader.accessToken })).status).toBe(204);
    expect((await api('DELETE', `/api/v1/comments/${byReader.id}`, { token: reader.accessToken })).status).toBe(404);
    expect((await api('DELETE', `/api/v1/comments/${another.id}`, { token: author.accessToken })).status).toBe(204);
    expect((await api('DELETE', '/api/v1/comments/999999', { token: author.accessToken })).status).toBe(404);
    const left = await api<{ items: Comment[] }>('GET', `/api/v1/posts/${postId}/comments`);
    expect(left.body.items).toEqual([]);
  });

  it('keeps commentCount exact under concurrent commenting and deletion', async () => {
    const postId = await newPost(author);
    await comment(reader, postId, 'warm-up');
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api<Comment>('POST', `/api/v1/posts/${postId}/comments`, { token: reader.accessToken, body: { text: `c${i}` } })),
    );
    expect(created.map((r) => r.status)).toEqual(Array(20).fill(201));
    await Promise.all(created.slice(0, 5).map((r) => api('DELETE', `/api/v1/comments/${r.body.id}`, { token: reader.accessToken })));
    await eventually(
      async () => {
        const post = await api<{ commentCount: number }>('GET', `/api/v1/posts/${postId}`);
        return post.body.commentCount === 16 ? true : undefined;
      },
      { what: 'commentCount 16 (1 + 20 - 5)' },
    );
  });

  it('deletes the comments of a deleted post', async () => {
    const postId = await newPost(author);
    const kept = (await comment(reader, postId, 'soon gone')).body;
    expect((await api('DELETE', `/api/v1/posts/${postId}`, { token: author.accessToken })).status).toBe(204);
    await eventually(async () => ((await api('GET', `/api/v1/posts/${postId}/comments`)).status === 404 ? true : undefined), {
      what: 'comments of the deleted post gone',
    });
    expect((await api('POST', `/api/v1/posts/${postId}/comments`, { token: reader.accessToken, body: { text: 'late' } })).status).toBe(404);
    expect((await api('DELETE', `/api/v1/comments/${kept.id}`, { token: reader.accessToken })).status).toBe(404);
  });
});
