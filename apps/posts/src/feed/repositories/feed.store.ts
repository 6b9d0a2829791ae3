import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, REDIS, type RedisClient, withinRedisDeadline, writeEach } from '@app/platform';
import type { ChainableCommander } from 'ioredis';
import type { PostsConfig } from '../../config/posts.config.js';
import { type Scripted, withScripts } from '../../shared/redis-scripts.js';
import { BUILDING_PREFIX, FEED_SENTINEL, isPostMember, splitIdList } from './feed-members.js';

/*
 * Home feeds in Redis: one sorted set per reader, members = zero-padded post
 * ids, all with score 0 (lexicographic order; see feed-members.ts). A complete
 * feed always holds FEED_SENTINEL, the lowest member, so "missing" and
 * "empty" differ and the cap trim (ranks 1..) never removes it. A reader
 * rebuilding a missing feed first claims the key with a building marker
 * (sorts above every id); writers that would make such a half-built feed
 * wrong (a follow change) delete it instead, and the rebuild is then not stored.
 */

const IS_BUILDING = `#redis.call('ZRANGEBYLEX', KEYS[1], '[${BUILDING_PREFIX}', '+', 'LIMIT', 0, 1) > 0`;

// ZADD members ARGV[from..] in chunks (Lua's unpack has a stack limit).
const ZADD_FROM = `
local function zadd_from(from)
  for i = from, #ARGV, 1000 do
    local args = {}
    for j = i, math.min(i + 999, #ARGV) do args[#args + 1] = 0; args[#args + 1] = ARGV[j] end
    if #args > 0 then redis.call('ZADD', KEYS[1], unpack(args)) end
  end
end`;

const SCRIPTS = {
  // KEYS: feed, celebrity-follows cache, its generation. ARGV: max, count, ttl seconds.
  warbleFeedRead: {
    keys: 3,
    lua: `
local ids = redis.call('ZREVRANGEBYLEX', KEYS[1], ARGV[1], '-', 'LIMIT', 0, tonumber(ARGV[2]))
local state = 'ok'
if #ids == 0 then state = 'missing'
elseif ${IS_BUILDING} then state = 'building'
else redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return {state, redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3]), ids}`,
  },
  // KEYS: feed. ARGV: sentinel, building marker, ttl seconds. 1 if claimed.
  warbleFeedClaim: {
    keys: 1,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('ZADD', KEYS[1], 0, ARGV[1], 0, ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`,
  },
  // KEYS: feed. ARGV: building marker, cap, ttl seconds, members... 0 if the claim was lost.
  warbleFeedComplete: {
    keys: 1,
    lua: `${ZADD_FROM}
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
zadd_from(4)
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[1], 1, -(tonumber(ARGV[2]) + 1))
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`,
  },
  // KEYS: feed. ARGV: cap, abort-a-build flag, members... Only an existing feed is touched.
  warbleFeedAdd: {
    keys: 1,
    lua: `${ZADD_FROM}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[2] == '1' and ${IS_BUILDING} then redis.call('DEL', KEYS[1]) return -1 end
zadd_from(3)
redis.call('ZREMRANGEBYRANK', KEYS[1], 1, -(tonumber(ARGV[1]) + 1))
return 1`,
  },
  // KEYS: feed. ARGV: members... A feed being rebuilt may still get them: it is dropped instead.
  warbleFeedRemove: {
    keys: 1,
    lua: `
if ${IS_BUILDING} then redis.call('DEL', KEYS[1]) return -1 end
for i = 1, #ARGV, 1000 do redis.call('ZREM', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV))) end
return 1`,
  },
  // KEYS: celebrity-follows cache, generation. ARGV: generation seen before reading Postgres, value, ttl.
  // Stores only if no follow change happened since: a list computed from older state is never cached.
  warbleCelebritiesSet: {
    keys: 2,
    lua: `
if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`,
  },
} as const;

type ScriptName = keyof typeof SCRIPTS;

export type FeedState = 'ok' | 'missing' | 'building';

export interface FeedChunk {
  state: FeedState;
  /** Padded post ids below the bound, newest first (sentinel and markers removed). */
  ids: string[];
  /** True when the feed holds nothing further below these ids. */
  last: boolean;
  /** The reader's cached followed celebrities, if cached. */
  celebrities: string[] | undefined;
  /** Generation of the reader's follow graph, for caching a freshly computed celebrity list. */
  generation: string;
}

const BUILD_CLAIM_TTL_SECONDS = 30;

/** Redis feed sorted sets and the per-reader follow-derived cache that lives beside them. */
@Injectable()
export class FeedStore {
  private readonly redis: Scripted<RedisClient, ScriptName>;

  constructor(
    @Inject(REDIS) redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
  ) {
    this.redis = withScripts(redis, SCRIPTS);
  }

  // A reader's keys share the hash tag {u<id>}: the feed scripts touch all three at once.
  static feedKey(userId: string): string {
    return `warble:feed:{u${userId}}`;
  }

  private static celebritiesKey(userId: string): string {
    return `warble:feed:{u${userId}}:celebs`;
  }

  private static generationKey(userId: string): string {
    return `warble:feed:{u${userId}}:gen`;
  }

  /** One round trip: a chunk of the feed below `below` (exclusive) and the reader's cached celebrities. */
  async read(userId: string, below: string | undefined, count: number): Promise<FeedChunk> {
    const [state, celebrities, generation, members] = (await withinRedisDeadline(
      this.redis.warbleFeedRead(
        FeedStore.feedKey(userId),
        FeedStore.celebritiesKey(userId),
        FeedStore.generationKey(userId),
        below === undefined ? '+' : `(${below}`,
        count,
        this.config.FEED_TTL_SECONDS,
      ),
      this.config.REDIS_REQUEST_TIMEOUT_MS,
      'feed',
    )) as [FeedState, string | null, string | null, string[]];
    return {
      state,
      ids: members.filter(isPostMember),
      last: members.length < count || members.at(-1) === FEED_SENTINEL,
      celebrities: celebrities === null ? undefined : splitIdList(celebrities),
      generation: generation ?? '',
    };
  }

  /** Marks a missing feed as being rebuilt by the caller; returns the claim, or undefined if it exists. */
  async claim(userId: string): Promise<string | undefined> {
    const marker = `${BUILDING_PREFIX}${randomUUID()}`;
    const claimed = await this.redis.warbleFeedClaim(FeedStore.feedKey(userId), FEED_SENTINEL, marker, BUILD_CLAIM_TTL_SECONDS);
    return claimed === 1 ? marker : undefined;
  }

  /** Stores the rebuilt ids unless a follow change dropped the claim meanwhile. */
  async complete(userId: string, claim: string, ids: string[]): Promise<boolean> {
    const done = await this.redis.warbleFeedComplete(FeedStore.feedKey(userId), claim, this.config.FEED_MAX_LENGTH, this.config.FEED_TTL_SECONDS, ...ids);
    return done === 1;
  }

  /**
   * Adds ids to each user's feed that exists (pipelined); missing feeds stay
   * missing and are rebuilt on read. `abortBuild` drops a feed being rebuilt,
   * for changes that a concurrent rebuild may have read too early.
   */
  async add(userIds: string[], ids: string[], options: { abortBuild?: boolean } = {}): Promise<void> {
    if (userIds.length === 0 || ids.length === 0) return;
    await writeEach(this.redis, userIds, (target, userId) =>
      call(target, 'warbleFeedAdd', FeedStore.feedKey(userId), this.config.FEED_MAX_LENGTH, options.abortBuild ? '1' : '0', ...ids),
    );
  }

  async remove(userIds: string[], ids: string[]): Promise<void> {
    if (userIds.length === 0 || ids.length === 0) return;
    await writeEach(this.redis, userIds, (target, userId) => call(target, 'warbleFeedRemove', FeedStore.feedKey(userId), ...ids));
  }

  /** Caches the reader's followed celebrities, unless their follows changed since `generation` was read. */
  async cacheCelebrities(userId: string, generation: string, celebrityIds: string[]): Promise<void> {
    await this.redis.warbleCelebritiesSet(
      FeedStore.celebritiesKey(userId),
      FeedStore.generationKey(userId),
      generation,
      celebrityIds.join(','),
      this.config.FEED_CELEBRITY_FOLLOWS_TTL_SECONDS,
    );
  }

  /** Drops the readers' cached celebrity lists and moves their generation on (a unique value: no ABA). */
  async forgetCelebrities(userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    const generation = randomUUID();
    const ttl = this.config.FEED_CELEBRITY_FOLLOWS_TTL_SECONDS * 2;
    await writeEach(this.redis, userIds, (target, userId) => [
      target.del(FeedStore.celebritiesKey(userId)),
      target.set(FeedStore.generationKey(userId), generation, 'EX', ttl),
    ]);
  }
}

/** Calls a script on a pipeline or a client (ioredis adds defined commands to both). */
function call(target: ChainableCommander | RedisClient, name: ScriptName, ...args: (string | number)[]): unknown {
  return (target as Scripted<ChainableCommander | RedisClient, ScriptName>)[name](...args);
}
