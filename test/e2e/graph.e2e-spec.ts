/**
 * "Social graph" of the API contract and the counts on the User object,
 * through the running system: follows at the gateway, profiles and lists from
 * graph, counts of /users/me by events in users, events on graph.events.v1.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { buildEnvelope, type EventData, EventHeaders, parseEnvelope, Topics } from '@app/contracts';
import { SnowflakeGenerator } from '@app/platform';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type pg from 'pg';
import { type Account, newAccount } from '../support/accounts.js';
import { api } from '../support/api.js';
import { adminPool } from '../support/db.js';
import { kafkaBrokers, uniqueUsername } from '../support/env.js';
import { eventually } from '../support/eventually.js';
import { graphProfile, type UserBody, whenGraphKnows } from '../support/graph.js';
import { readTopicToEnd } from '../support/kafka.js';
import { expectProblem, problemFields } from '../support/problem.js';

interface UserPage {
  items: UserBody[];
  nextCursor: string | null;
}

type Direction = 'followers' | 'following';

const follow = (who: Account, username: string, headers: Record<string, string> = {}) =>
  api('POST', `/api/v1/users/${username}/follow`, { token: who.accessToken, headers });
const unfollow = (who: Account, username: string, headers: Record<string, string> = {}) =>
  api('DELETE', `/api/v1/users/${username}/follow`, { token: who.accessToken, headers });
const list = (username: string, direction: Direction, query = '', token?: string) => api<UserPage>('GET', `/api/v1/users/${username}/${direction}${query}`, { token });
const me = async (account: Account) => (await api<UserBody>('GET', '/api/v1/users/me', { token: account.accessToken })).body;

async function accounts(count: number, prefix: string): Promise<Account[]> {
  const made = await Promise.all(Array.from({ length: count }, () => newAccount(prefix)));
  await whenGraphKnows(...made);
  return made;
}

/** Every page of a list, following nextCursor, as lists of user ids. */
async function allPages(username: string, direction: Direction, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const response: Awaited<ReturnType<typeof list>> = await list(username, direction, `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.status).toBe(200);
    pages.push(response.body.items.map((user) => user.id));
    cursor = response.body.nextCursor;
  } while (cursor !== null && pages.length < 50);
  return pages;
}

describe('social graph', () => {
  let db: pg.Pool;
  beforeAll(() => {
    db = adminPool();
  });
  afterAll(async () => {
    await db.end();
  });

  /** Graph's outbox has published every event of this key (the relay deletes rows after the broker's ack). */
  const outboxDrained = (key: string) =>
    eventually(async () => ((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM graph.outbox WHERE message_key = $1', [key])).rows[0].n === 0 ? true : undefined), {
      what: `graph outbox of ${key} published`,
    });
  /** The schema's inbox has applied every one of these event ids. */
  const processedBy = (schema: 'graph' | 'users', eventIds: string[]) =>
    eventually(
      async () => {
        const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".processed_events WHERE event_id = ANY($1::uuid[])`, [eventIds]);
        return rows[0].n === new Set(eventIds).size ? true : undefined;
      },
      { timeoutMs: 30_000, what: `${eventIds.length} events processed by ${schema}` },
    );
  const edgesBetween = async (follower: Account, followee: Account) =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM graph.follows WHERE follower_id = $1 AND followee_id = $2', [follower.id, followee.id])).rows[0].n;

  describe('POST and DELETE /api/v1/users/{username}/follow', () => {
    it('follows and unfollows with 204, idempotently, counting the edge once', async () => {
      const [a, b] = await accounts(2, 'gfol');
      for (let i = 0; i < 2; i++) {
        const followed = await follow(a, b.username);
        expect(followed.status).toBe(204);
        expect(followed.body).toBeUndefined();
      }
      expect((await graphProfile(b.username)).body).toMatchObject({ id: b.id, followersCount: 1, followingCount: 0 });
      expect((await graphProfile(a.username)).body).toMatchObject({ id: a.id, followersCount: 0, followingCount: 1 });
      expect((await list(b.username, 'followers')).body).toEqual({ items: [expect.objectContaining({ id: a.id, username: a.username })], nextCursor: null });
      expect((await list(a.username, 'following')).body.items.map((user) => user.id)).toEqual([b.id]);

      for (let i = 0; i < 2; i++) expect((await unfollow(a, b.username.toUpperCase())).status).toBe(204);
      expect((await graphProfile(b.username)).body).toMatchObject({ followersCount: 0, followingCount: 0 });
      expect((await graphProfile(a.username)).body).toMatchObject({ followersCount: 0, followingCount: 0 });
      expect((await list(b.username, 'followers')).body).toEqual({ items: [], nextCursor: null });
      expect(await edgesBetween(a, b)).toBe(0);
    });

    it('refuses to follow yourself with 400 in any letter case; unfollowing yourself changes nothing', async () => {
      const [a] = await accounts(1, 'gself');
      for (const username of [a.username, a.username.toUpperCase()]) {
        expect(expectProblem(await follow(a, username), 400).code).toBe('CANNOT_FOLLOW_SELF');
      }
      expect((await unfollow(a, a.username)).status).toBe(204);
      expect((await graphProfile(a.username)).body).toMatchObject({ followersCount: 0, followingCount: 0 });
    });

    it('answers 404 for an unknown user and 401 without a token', async () => {
      const [a] = await accounts(1, 'g404');
      const ghost = uniqueUsername('ghost');
      expect(expectProblem(await follow(a, ghost), 404).code).toBe('USER_NOT_FOUND');
      expect(expectProblem(await unfollow(a, ghost), 404).code).toBe('USER_NOT_FOUND');
      expect(expectProblem(await list(ghost, 'followers'), 404).code).toBe('USER_NOT_FOUND');
      expect(expectProblem(await list(ghost, 'following', '', a.accessToken), 404).code).toBe('USER_NOT_FOUND');
      expect(expectProblem(await follow(a, 'not-a*username'), 404).code).toBe('USER_NOT_FOUND');
      expectProblem(await api('POST', `/api/v1/users/${a.username}/follow`), 401);
      expectProblem(await api('DELETE', `/api/v1/users/${a.username}/follow`), 401);
    });
  });

  describe('GET /api/v1/users/{username}/followers and /following', () => {
    let owner: Account;
    let others: Account[];
    beforeAll(async () => {
      [owner, ...others] = await accounts(6, 'glist');
      // One at a time, so that the follow order is known.
      for (const other of others) expect((await follow(other, owner.username)).status).toBe(204);
      for (const other of others) expect((await follow(owner, other.username)).status).toBe(204);
    });

    it.each<Direction>(['followers', 'following'])('pages %s newest follow first, without duplicates or gaps', async (direction) => {
      const newestFirst = others.map((other) => other.id).reverse();
      expect(await allPages(owner.username, direction, 2)).toEqual([newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)]);
      expect(await allPages(owner.username, direction, 5)).toEqual([newestFirst]);
      const firstPage = await list(owner.username, direction);
      expect(firstPage.body.items).toHaveLength(5);
      expect(firstPage.body.items[0]).toEqual({
        id: newestFirst[0],
        username: expect.any(String),
        displayName: expect.any(String),
        bio: '',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        followersCount: 1,
        followingCount: 1,
        postsCount: 0,
      });
    });

    it('puts a renewed follow first', async () => {
      const oldest = others[0];
      expect((await unfollow(oldest, owner.username)).status).toBe(204);
      expect((await follow(oldest, owner.username)).status).toBe(204);
      const page = await list(owner.username, 'followers', '?limit=2');
      expect(page.body.items.map((user) => user.id)).toEqual([oldest.id, others[4].id]);
    });

    it('rejects a malformed cursor or limit with 400 naming the field', async () => {
      for (const query of ['?cursor=bogus', '?cursor=%21%21', `?cursor=${Buffer.from('i:-5').toString('base64url')}`]) {
        expect(problemFields(expectProblem(await list(owner.username, 'followers', query), 400))).toEqual(['cursor']);
      }
      for (const query of ['?limit=0', '?limit=101', '?limit=x', '?limit=2.5']) {
        expect(problemFields(expectProblem(await list(owner.username, 'following', query), 400))).toEqual(['limit']);
      }
      expect((await list(owner.username, 'following', '?limit=100')).status).toBe(200);
    });

    it('marks followedByMe for an authenticated caller only', async () => {
      const [viewer] = await accounts(1, 'gview');
      const followed = others[1];
      expect((await follow(viewer, followed.username)).status).toBe(204);

      const personal = await list(owner.username, 'followers', '', viewer.accessToken);
      expect(personal.status).toBe(200);
      expect(Object.fromEntries(personal.body.items.map((user) => [user.id, user.followedByMe]))).toEqual(
        Object.fromEntries(others.map((other) => [other.id, other === followed])),
      );
      const anonymous = await list(owner.username, 'followers');
      for (const user of anonymous.body.items) expect(user).not.toHaveProperty('followedByMe');

      expect((await graphProfile(followed.username, viewer.accessToken)).body.followedByMe).toBe(true);
      expect((await graphProfile(others[2].username, viewer.accessToken)).body.followedByMe).toBe(false);
      expect((await graphProfile(viewer.username, viewer.accessToken)).body.followedByMe).toBe(false);
      expect((await graphProfile(followed.username)).body).not.toHaveProperty('followedByMe');
      expect((await graphProfile(followed.username, 'not.a.token')).status).toBe(401);
    });
  });

  describe('counts on the User object', () => {
    it('GET /users/{username} counts at once; /users/me and PATCH /users/me once the events arrived', async () => {
      const [a, b, c] = await accounts(3, 'gcnt');
      for (const [who, whom] of [[a, b], [a, c], [b, a]] as const) expect((await follow(who, whom.username)).status).toBe(204);

      expect((await graphProfile(a.username)).body).toMatchObject({ username: a.username, followersCount: 1, followingCount: 2, postsCount: 0 });
      expect((await graphProfile(c.username.toUpperCase())).body).toMatchObject({ username: c.username, followersCount: 1, followingCount: 0 });
      expect(expectProblem(await graphProfile(uniqueUsername('nobody')), 404).code).toBe('USER_NOT_FOUND');

      await eventually(async () => ((await me(a)).followingCount === 2 && (await me(a)).followersCount === 1 ? true : undefined), { what: 'counts of a in users' });
      await eventually(async () => ((await me(b)).followingCount === 1 && (await me(b)).followersCount === 1 ? true : undefined), { what: 'counts of b in users' });
      const patched = await api<UserBody>('PATCH', '/api/v1/users/me', { token: c.accessToken, body: { bio: 'counted' } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ bio: 'counted', followersCount: expect.any(Number), followingCount: 0, postsCount: 0 });
      await eventually(async () => ((await me(c)).followersCount === 1 ? true : undefined), { what: 'counts of c in users' });
      // The bio reaches graph's profile through user.updated.
      await eventually(async () => ((await graphProfile(c.username)).body.bio === 'counted' ? true : undefined), { what: 'bio of c in graph' });
    });

    it('ends exact after a storm of concurrent follows and unfollows of one pair', async () => {
      const [a, b] = await accounts(2, 'gstorm');
      const calls = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? () => follow(a, b.username) : () => unfollow(a, b.username)));
      const statuses = await Promise.all(calls.map((call) => call()));
      expect(statuses.map((response) => response.status)).toEqual(calls.map(() => 204));
      expect((await follow(a, b.username)).status).toBe(204);

      expect(await edgesBetween(a, b)).toBe(1);
      expect((await graphProfile(a.username)).body).toMatchObject({ followingCount: 1, followersCount: 0 });
      expect((await graphProfile(b.username)).body).toMatchObject({ followersCount: 1, followingCount: 0 });
      expect((await list(b.username, 'followers')).body.items.map((user) => user.id)).toEqual([a.id]);

      // One event per real change, in order: followed, unfollowed, …, followed.
      await outboxDrained(a.id);
      const events = (await readTopicToEnd(Topics.graph, (message) => message.key === a.id)).map((message) => JSON.parse(message.value) as { id: string; type: string });
      const types = events.map((event) => event.type);
      expect(types.length % 2).toBe(1);
      types.forEach((type, i) => expect(type).toBe(i % 2 === 0 ? 'user.followed' : 'user.unfollowed'));

      // Once users applied all of them, its counts are exact too.
      await processedBy('users', events.map((event) => event.id));
      expect(await me(a)).toMatchObject({ followingCount: 1, followersCount: 0 });
      expect(await me(b)).toMatchObject({ followersCount: 1, followingCount: 0 });
    });

    describe('postsCount from posts.events.v1', () => {
      let kafka: Kafka;
      let producer: Producer;
      beforeAll(async () => {
        kafka = new Kafka({ clientId: `e2e-graph-${randomBytes(3).toString('hex')}`, brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
        producer = kafka.producer();
        await producer.connect();
      });
      afterAll(async () => {
        await producer.disconnect();
      });

      // Worker id 1023 is no app's: these synthetic post ids collide with no real post.
      const postIds = new SnowflakeGenerator(1023);
      const created = (authorId: string, postId: string) =>
        buildEnvelope({
          id: randomUUID(),
          type: 'post.created',
          producer: 'posts',
          aggregateId: postId,
          data: { postId, authorId, text: 'synthetic post of the graph e2e test', hashtags: [], mentions: [], createdAt: new Date().toISOString() } satisfies EventData<'post.created'>,
          occurredAt: new Date(),
        });
      const deleted = (authorId: string, postId: string) =>
        buildEnvelope({ id: randomUUID(), type: 'post.deleted', producer: 'posts', aggregateId: postId, data: { postId, authorId, deletedAt: new Date().toISOString() }, occurredAt: new Date() });

      /** Publishes in order on one partition (one key), then waits until graph and users applied the last one. */
      async function publish(envelopes: { id: string; type: string }[]): Promise<void> {
        await producer.send({
          topic: Topics.posts,
          messages: envelopes.map((envelope) => ({
            key: 'graph-e2e',
            value: JSON.stringify(envelope),
            headers: { [EventHeaders.eventType]: envelope.type, [EventHeaders.contentType]: 'application/json' },
          })),
        });
        const last = [envelopes.at(-1)!.id];
        await Promise.all([processedBy('graph', last), processedBy('users', last)]);
      }
      const postsCounts = async (author: Account) => [(await graphProfile(author.username)).body.postsCount, (await me(author)).postsCount];

      it('counts each post once, uncounts only counted posts, and never resurrects a deleted one', async () => {
        const [author] = await accounts(1, 'gpost');
        const [p1, p2, p3, p4] = [postIds.next(), postIds.next(), postIds.next(), postIds.next()];
        const firstOfP1 = created(author.id, p1);

        // A redelivered event (same id) is applied once.
        await publish([firstOfP1, firstOfP1, created(author.id, p2)]);
        expect(await postsCounts(author)).toEqual([2, 2]);

        // A second delete of p1 (another event id) and a delete of a never-counted p3
        // change nothing; p3 created after its delete stays uncounted.
        await publish([deleted(author.id, p1), deleted(author.id, p1), deleted(author.id, p3), created(author.id, p3), created(author.id, p4)]);
        expect(await postsCounts(author)).toEqual([2, 2]);

        // Leave no live synthetic posts behind.
        await publish([deleted(author.id, p2), deleted(author.id, p4)]);
        expect(await postsCounts(author)).toEqual([0, 0]);
      });
    });
  });

  describe('graph.events.v1 for outside consumers', () => {
    it('carries user.followed and user.unfollowed with the contract envelope and headers, keyed by follower', async () => {
      const [a, b] = await accounts(2, 'gkafka');
      const followRequest = `graph-e2e-${randomBytes(6).toString('hex')}`;
      const unfollowRequest = `graph-e2e-${randomBytes(6).toString('hex')}`;
      expect((await follow(a, b.username, { 'x-request-id': followRequest })).status).toBe(204);
      expect((await unfollow(a, b.username, { 'x-request-id': unfollowRequest })).status).toBe(204);

      await outboxDrained(a.id);
      const messages = await readTopicToEnd(Topics.graph, (message) => message.key === a.id);
      expect(messages).toHaveLength(2);
      const [followed, unfollowed] = messages;
      for (const [message, type, requestId] of [[followed, 'user.followed', followRequest], [unfollowed, 'user.unfollowed', unfollowRequest]] as const) {
        expect(message.headers).toMatchObject({ [EventHeaders.eventType]: type, [EventHeaders.correlationId]: requestId, [EventHeaders.contentType]: 'application/json' });
        const parsed = parseEnvelope(JSON.parse(message.value));
        expect(parsed).toMatchObject({ ok: true, known: true });
        expect(JSON.parse(message.value)).toEqual({
          id: expect.any(String),
          type,
          version: 1,
          occurredAt: expect.any(String),
          producer: 'graph',
          aggregateId: a.id,
          data: { followerId: a.id, followeeId: b.id, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) },
        });
      }
    });
  });
});
