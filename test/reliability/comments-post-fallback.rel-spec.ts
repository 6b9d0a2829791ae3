/**
 * Comments on a post whose post.created has not reached comments (docs/api.md,
 * "Comments right after a post"): comments asks posts, the owner, instead of
 * answering 404 for a post that exists. The cluster fault test saw those 404s
 * while a Kafka broker failed over and the event was 10 to 20 s late.
 *
 * A late event is made certain here, not hoped for: this suite runs its own
 * comments processes on a scratch database (their own projection, empty) and
 * a private Kafka broker on which posts publishes nothing, so they never hear
 * of any post. Their POSTS_URL is the running system's posts, which the
 * posts are created through (via the running gateway); the comments are sent
 * to the private comments directly, with the author's token.
 */
import { snowflakeAt } from '@app/platform';
import { type Account, newAccount } from '../support/accounts.js';
import { api } from '../support/api.js';
import { setting } from '../support/env.js';
import { send } from '../support/http.js';
import { startKafkaBroker, type TestBroker } from '../support/kafka-broker.js';
import { createPost } from '../support/posts.js';
import { freePort, startApp, type TestProcess } from '../support/processes.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';

describe('comments on a post whose post.created has not arrived', () => {
  let database: ScratchDatabase | undefined;
  let broker: TestBroker | undefined;
  /** Asks the running posts. */
  let comments: TestProcess | undefined;
  /** Its POSTS_URL leads nowhere. */
  let cutOff: TestProcess | undefined;
  let commentsUrl = '';
  let cutOffUrl = '';
  let author: Account;

  beforeAll(async () => {
    [database, broker, author] = await Promise.all([createScratchDatabase('warble_cfall'), startKafkaBroker(), newAccount('cfall')]);
    const [port, cutOffPort] = [await freePort(), await freePort()];
    const env = {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      JWT_PUBLIC_KEY_FILE: setting('JWT_PUBLIC_KEY_FILE'),
      DATABASE_HOST: setting('DATABASE_HOST', '127.0.0.1'),
      DATABASE_PORT: setting('DATABASE_PORT', '5432'),
      DATABASE_NAME: database.name,
      DATABASE_USER: 'warble_comments',
      DATABASE_PASSWORD: setting('COMMENTS_DB_PASSWORD'),
      DATABASE_POOL_SIZE: '3',
      KAFKA_BROKERS: broker.brokers,
      COMMENTS_POST_WAIT_MS: '1500',
      COMMENTS_POST_ASK_AFTER_MS: '500',
    };
    // One after the other: both run the migrations of the scratch database on boot.
    comments = await startApp('comments', port, { ...env, POSTS_URL: setting('POSTS_URL') });
    cutOff = await startApp('comments', cutOffPort, { ...env, POSTS_URL: 'http://127.0.0.1:9' });
    commentsUrl = `http://127.0.0.1:${port}`;
    cutOffUrl = `http://127.0.0.1:${cutOffPort}`;
  });

  afterAll(async () => {
    for (const app of [comments, cutOff]) await app?.stop('SIGTERM', 20_000).catch(() => undefined);
    await broker?.stop().catch(() => undefined);
    await database?.drop().catch(() => undefined);
  });

  const comment = (baseUrl: string, postId: string, text: string) =>
    send<{ id: string; postId: string; text: string; author: { id: string }; code?: string }>({
      baseUrl,
      method: 'POST',
      path: `/posts/${postId}/comments`,
      json: { text },
      headers: { authorization: `Bearer ${author.accessToken}` },
    });

  it('accepts a comment on a post it has not heard of, after asking posts, and lists it', async () => {
    const post = await createPost(author, 'commented before comments knows it');
    const started = Date.now();
    const created = await comment(commentsUrl, post.id, 'first!');
    const waited = Date.now() - started;

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ postId: post.id, text: 'first!', author: { id: author.id } });
    // It waited for the event first (COMMENTS_POST_ASK_AFTER_MS), not the whole COMMENTS_POST_WAIT_MS.
    expect(waited).toBeGreaterThanOrEqual(450);
    expect(waited).toBeLessThan(1_500);
    // posts' answer is in the projection, with the author posts named: the next request needs no question.
    const rows = await database!.admin.query<{ author_id: string; deleted: boolean }>(
      'SELECT author_id::text, deleted_at IS NOT NULL AS deleted FROM comments.posts WHERE post_id = $1',
      [post.id],
    );
    expect(rows.rows).toEqual([{ author_id: author.id, deleted: false }]);
    const again = Date.now();
    const list = await send<{ items: { id: string }[] }>({ baseUrl: commentsUrl, method: 'GET', path: `/posts/${post.id}/comments` });
    expect(list.status).toBe(200);
    expect(list.body.items.map((item) => item.id)).toEqual([created.body.id]);
    expect(Date.now() - again).toBeLessThan(450);
  });

  it('lists the (empty) comments of such a post without a token', async () => {
    const post = await createPost(author, 'listed before comments knows it');
    const list = await send<{ items: unknown[] }>({ baseUrl: commentsUrl, method: 'GET', path: `/posts/${post.id}/comments` });
    expect({ status: list.status, items: list.body.items }).toEqual({ status: 200, items: [] });
  });

  it('answers 404 when posts says so: an unknown young id, and a deleted post', async () => {
    const unknown = await comment(commentsUrl, snowflakeAt(new Date()), 'nobody home');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('POST_NOT_FOUND');

    const post = await createPost(author, 'deleted before comments knows it');
    expect((await api('DELETE', `/api/v1/posts/${post.id}`, { token: author.accessToken })).status).toBe(204);
    const onDeleted = await comment(commentsUrl, post.id, 'too late');
    expect(onDeleted.status).toBe(404);
    expect(onDeleted.body.code).toBe('POST_NOT_FOUND');
  });

  it('answers 503 after the whole wait when posts cannot be reached either', async () => {
    const post = await createPost(author, 'posts out of reach');
    const started = Date.now();
    const refused = await comment(cutOffUrl, post.id, 'anyone?');
    const waited = Date.now() - started;
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(waited).toBeGreaterThanOrEqual(1_400);
    expect(waited).toBeLessThan(3_000);
  });
});
