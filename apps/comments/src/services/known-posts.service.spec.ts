import { DomainError, snowflakeAt, SnowflakeGenerator } from '@app/platform';
import type { OwnerAnswer, PostOwner } from '../repositories/post-owner.client.js';
import type { KnownPost, PostProjectionRepository, PostState } from '../repositories/post-projection.repository.js';
import { KnownPosts } from './known-posts.service.js';
import { mayBeInFlight, PostArrivals } from './post-arrivals.js';

describe('mayBeInFlight', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  const idAt = (ms: number) => snowflakeAt(new Date(ms));

  it('holds for ids made within the window, either side of now', () => {
    expect(mayBeInFlight(idAt(now), now, 30_000)).toBe(true);
    expect(mayBeInFlight(idAt(now - 29_000), now, 30_000)).toBe(true);
    expect(mayBeInFlight(idAt(now + 2_000), now, 30_000)).toBe(true);
  });

  it('fails for older (or far future) ids', () => {
    expect(mayBeInFlight(idAt(now - 31_000), now, 30_000)).toBe(false);
    expect(mayBeInFlight(idAt(now - 86_400_000), now, 30_000)).toBe(false);
    expect(mayBeInFlight('1234567', now, 30_000)).toBe(false);
    expect(mayBeInFlight(idAt(now + 60_000), now, 30_000)).toBe(false);
  });
});

describe('PostArrivals', () => {
  it('wakes every waiter of a post when it is applied, and no other', async () => {
    const arrivals = new PostArrivals(10);
    const [a, b, c] = [arrivals.reserve()!, arrivals.reserve()!, arrivals.reserve()!];
    const woken: string[] = [];
    const waits = [a.wake('1', 10_000).then(() => woken.push('a')), b.wake('1', 10_000).then(() => woken.push('b')), c.wake('2', 50).then(() => woken.push('c'))];
    arrivals.applied('1');
    await Promise.all(waits.slice(0, 2));
    expect(woken.sort()).toEqual(['a', 'b']);
    await waits[2];
    expect(woken).toContain('c');
  });

  it('lets a wait end on its timeout', async () => {
    const slot = new PostArrivals(1).reserve()!;
    const started = Date.now();
    await slot.wake('9', 30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('bounds the waiters and takes released places back once', () => {
    const arrivals = new PostArrivals(2);
    const first = arrivals.reserve()!;
    arrivals.reserve();
    expect(arrivals.reserve()).toBeUndefined();
    first.release();
    first.release();
    expect(arrivals.size).toBe(1);
    expect(arrivals.reserve()).toBeDefined();
    expect(arrivals.reserve()).toBeUndefined();
    expect(new PostArrivals(0).reserve()).toBeUndefined();
  });
});

/** A projection in memory; counts lookups. */
class FakeProjection {
  readonly states = new Map<string, PostState>();
  lookups = 0;
  recorded: string[] = [];
  findState(postId: string): Promise<PostState | undefined> {
    this.lookups++;
    return Promise.resolve(this.states.get(postId));
  }
  // Like the SQL: a tombstone stays a tombstone.
  recordLiveFromOwner(postId: string, authorId: string): Promise<PostState> {
    this.recorded.push(postId);
    const current = this.states.get(postId);
    if (!current || current.live) this.states.set(postId, { live: { postId, authorId } });
    return Promise.resolve(this.states.get(postId)!);
  }
}

/** Posts, the owner, answering what the test says; remembers when it was asked. */
class FakeOwner implements PostOwner {
  asked: { postId: string; at: number }[] = [];
  constructor(public answer: (postId: string) => OwnerAnswer = () => ({ kind: 'unreachable' })) {}
  ask(postId: string): Promise<OwnerAnswer> {
    this.asked.push({ postId, at: Date.now() });
    return Promise.resolve(this.answer(postId));
  }
}

const live = (postId: string, authorId = '7'): PostState => ({ live: { postId, authorId } });
const liveAtOwner = (postId: string): OwnerAnswer => ({ kind: 'live', post: { postId, authorId: '8' } });


describe('KnownPosts', () => {
  const ids = new SnowflakeGenerator(1);
  const setup = (options: { waitMs?: number; askAfterMs?: number; capacity?: number; owner?: FakeOwner } = {}) => {
    const projection = new FakeProjection();
    const arrivals = new PostArrivals(options.capacity ?? 4);
    const owner = options.owner ?? new FakeOwner();
    const known = new KnownPosts(projection as unknown as PostProjectionRepository, arrivals, owner, {
      COMMENTS_POST_WAIT_MS: options.waitMs ?? 2_000,
      COMMENTS_POST_ASK_AFTER_MS: options.askAfterMs ?? 300,
      COMMENTS_POST_WAIT_MAX_AGE_MS: 30_000,
    });
    return { projection, arrivals, owner, known };
  };

  describe('from the projection alone', () => {
    it('answers a known post, live or deleted, with one lookup and without asking posts', async () => {
      const { projection, owner, known } = setup();
      const [alive, deleted] = [ids.next(), ids.next()];
      projection.states.set(alive, live(alive));
      projection.states.set(deleted, { live: undefined });
      expect(await known.findLive(alive)).toEqual<KnownPost>({ postId: alive, authorId: '7' });
      expect(await known.findLive(deleted)).toBeUndefined();
      expect(projection.lookups).toBe(2);
      expect(owner.asked).toHaveLength(0);
    });

    it('answers an old unknown id at once, without asking posts', async () => {
      const { projection, owner, known } = setup();
      const started = Date.now();
      expect(await known.findLive(snowflakeAt(new Date(Date.now() - 3_600_000)))).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(100);
      expect(projection.lookups).toBe(1);
      expect(owner.asked).toHaveLength(0);
    });

    it('waits for a young id until its event is applied, then answers it without asking posts', async () => {
      const { projection, arrivals, owner, known } = setup();
      const postId = ids.next();
      const started = Date.now();
      const answer = known.findLive(postId);
      setTimeout(() => {
        projection.states.set(postId, live(postId));
        arrivals.applied(postId);
      }, 50);
      expect(await answer).toEqual({ postId, authorId: '7' });
      expect(Date.now() - started).toBeLessThan(200);
      expect(arrivals.size).toBe(0);
      expect(owner.asked).toHaveLength(0);
    });

    it('finds a post applied elsewhere (no wake-up) by looking again', async () => {
      const { projection, known } = setup({ askAfterMs: 1_000 });
      const postId = ids.next();
      setTimeout(() => projection.states.set(postId, live(postId)), 50);
      expect(await known.findLive(postId)).toEqual({ postId, authorId: '7' });
    });
  });

  describe('asking posts when the event is late', () => {
    it('asks posts after the short wait; a live answer is recorded, wakes other waiters and is answered', async () => {
      const owner = new FakeOwner(liveAtOwner);
      const { projection, arrivals, known } = setup({ askAfterMs: 300, owner });
      const postId = ids.next();
      const started = Date.now();
      const [first, second] = await Promise.all([known.findLive(postId), known.findLive(postId)]);
      const waited = Date.now() - started;
      expect(first).toEqual({ postId, authorId: '8' });
      expect(second).toEqual({ postId, authorId: '8' });
      expect(waited).toBeGreaterThanOrEqual(250);
      expect(waited).toBeLessThan(1_000);
      expect(owner.asked[0].at - started).toBeGreaterThanOrEqual(250);
      expect(projection.states.get(postId)).toEqual(live(postId, '8'));
      expect(arrivals.size).toBe(0);
    });

    it("answers posts' 404 as unknown, records nothing and does not wait longer", async () => {
      const owner = new FakeOwner(() => ({ kind: 'absent' }));
      const { projection, known } = setup({ waitMs: 3_000, askAfterMs: 200, owner });
      const started = Date.now();
      expect(await known.findLive(ids.next())).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(800);
      expect(owner.asked).toHaveLength(1);
      expect(projection.recorded).toHaveLength(0);
    });

    it('keeps a tombstone that came meanwhile: a post deleted since posts answered is not live', async () => {
      const postId = ids.next();
      const { projection, known, owner } = setup({ askAfterMs: 100 });
      owner.answer = (asked) => {
        // post.deleted is applied while posts' answer is on its way.
        projection.states.set(asked, { live: undefined });
        return liveAtOwner(asked);
      };
      // The tombstone is there by the time the answer is recorded, not before the ask.
      projection.findState = function (this: FakeProjection, id: string) {
        this.lookups++;
        return Promise.resolve(owner.asked.length === 0 ? undefined : this.states.get(id));
      };
      expect(await known.findLive(postId)).toBeUndefined();
      expect(projection.states.get(postId)).toEqual({ live: undefined });
    });

    it('when posts cannot tell, waits for the event the rest of the time and takes it if it comes', async () => {
      const { projection, arrivals, owner, known } = setup({ waitMs: 1_000, askAfterMs: 100 });
      const postId = ids.next();
      const answer = known.findLive(postId);
      setTimeout(() => {
        projection.states.set(postId, live(postId));
        arrivals.applied(postId);
      }, 400);
      expect(await answer).toEqual({ postId, authorId: '7' });
      expect(owner.asked).toHaveLength(1);
    });

    it('when posts cannot tell and the event does not come, answers UPSTREAM_UNAVAILABLE after the whole wait, and frees its place', async () => {
      const { projection, arrivals, owner, known } = setup({ waitMs: 600, askAfterMs: 100 });
      const started = Date.now();
      await expect(known.findLive(ids.next())).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(550);
      expect(waited).toBeLessThan(1_000);
      expect(owner.asked).toHaveLength(1);
      expect(projection.lookups).toBeGreaterThan(2);
      expect(arrivals.size).toBe(0);
    });

    it('asks no later than COMMENTS_POST_WAIT_MS when that is the shorter', async () => {
      const owner = new FakeOwner(liveAtOwner);
      const { known } = setup({ waitMs: 100, askAfterMs: 5_000, owner });
      const started = Date.now();
      expect(await known.findLive(ids.next())).toBeDefined();
      expect(Date.now() - started).toBeLessThan(400);
    });

    it('asks posts at once when every waiting place is taken, or waiting is off', async () => {
      for (const options of [{ capacity: 0 }, { waitMs: 0 }]) {
        const owner = new FakeOwner(liveAtOwner);
        const { known, arrivals } = setup({ ...options, owner });
        const postId = ids.next();
        const started = Date.now();
        expect(await known.findLive(postId)).toEqual({ postId, authorId: '8' });
        expect(Date.now() - started).toBeLessThan(100);
        expect(owner.asked).toHaveLength(1);
        expect(arrivals.size).toBe(0);
      }
    });

    it('answers UPSTREAM_UNAVAILABLE at once when it cannot wait and posts cannot tell', async () => {
      const { known } = setup({ capacity: 0 });
      const started = Date.now();
      await expect(known.findLive(ids.next())).rejects.toBeInstanceOf(DomainError);
      expect(Date.now() - started).toBeLessThan(100);
    });
  });
});
