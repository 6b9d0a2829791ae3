import { snowflakeAt, SnowflakeGenerator } from '@app/platform';
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
  findState(postId: string): Promise<PostState | undefined> {
    this.lookups++;
    return Promise.resolve(this.states.get(postId));
  }
}

describe('KnownPosts', () => {
  const ids = new SnowflakeGenerator(1);
  const setup = (waitMs = 2_000, capacity = 4) => {
    const projection = new FakeProjection();
    const arrivals = new PostArrivals(capacity);
    const known = new KnownPosts(projection as unknown as PostProjectionRepository, arrivals, { COMMENTS_POST_WAIT_MS: waitMs, COMMENTS_POST_WAIT_MAX_AGE_MS: 30_000 });
    return { projection, arrivals, known };
  };
  const live = (postId: string): PostState => ({ live: { postId, authorId: '7' } });

  it('answers a known post, live or deleted, with one lookup', async () => {
    const { projection, known } = setup();
    const [alive, deleted] = [ids.next(), ids.next()];
    projection.states.set(alive, live(alive));
    projection.states.set(deleted, { live: undefined });
    expect(await known.findLive(alive)).toEqual<KnownPost>({ postId: alive, authorId: '7' });
    expect(await known.findLive(deleted)).toBeUndefined();
    expect(projection.lookups).toBe(2);
  });

  it('answers an old unknown id at once', async () => {
    const { projection, known } = setup();
    const started = Date.now();
    expect(await known.findLive(snowflakeAt(new Date(Date.now() - 3_600_000)))).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(100);
    expect(projection.lookups).toBe(1);
  });

  it('waits for a young id until its event is applied, then answers it', async () => {
    const { projection, arrivals, known } = setup();
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
  });

  it('finds a post applied elsewhere (no wake-up) by looking again', async () => {
    const { projection, known } = setup();
    const postId = ids.next();
    setTimeout(() => projection.states.set(postId, live(postId)), 50);
    expect(await known.findLive(postId)).toEqual({ postId, authorId: '7' });
  });

  it('gives up on a young id after the configured wait, and frees its place', async () => {
    const { projection, arrivals, known } = setup(600);
    const started = Date.now();
    expect(await known.findLive(ids.next())).toBeUndefined();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(550);
    expect(waited).toBeLessThan(1_000);
    expect(projection.lookups).toBeGreaterThan(1);
    expect(arrivals.size).toBe(0);
  });

  it('answers at once when every waiting place is taken, or waiting is off', async () => {
    const full = setup(2_000, 0);
    let started = Date.now();
    expect(await full.known.findLive(ids.next())).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(100);
    const off = setup(0);
    started = Date.now();
    expect(await off.known.findLive(ids.next())).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(100);
  });
});
