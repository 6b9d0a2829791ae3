import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, BoundedCache, getMany, REDIS, type RedisClient, withinRedisDeadline, writeEach } from '@app/platform';
import type { ChainableCommander } from 'ioredis';
import type { PostsConfig } from '../../config/posts.config.js';
import { type Scripted, withScripts } from '../../shared/redis-scripts.js';
import type { PostContent, PostState } from './post.repository.js';

/*
 * Everything a Post object needs, in Redis, read in one round trip:
 * - content (text, author, hashtags, …) never changes: cached for long;
 * - state (counts, deleted) carries the row's state_version: a write only
 *   lands if it is newer, so a slow reader can never put back an older state;
 * - each viewer's liked post ids: a set with a completeness member, built
 *   from Postgres only if no like of theirs changed meanwhile (generation).
 * Writers update state and liked sets right after their commit.
 */

/** Member that marks a liked set as complete (post ids are never 0). */
const LIKED_SET_COMPLETE = '0';

const SCRIPTS = {
  // KEYS: state. ARGV: version, value, ttl.
  warblePostStateSet: {
    keys: 1,
    lua: `
local current = redis.call('GET', KEYS[1])
if current and tonumber(string.match(current, '^%d+')) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`,
  },
  // KEYS: liked set, generation. ARGV: generation seen before reading Postgres, ttl, post ids...
  warbleLikedLoad: {
    keys: 2,
    lua: `
if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] or redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SADD', KEYS[1], '${LIKED_SET_COMPLETE}')
for i = 3, #ARGV, 1000 do redis.call('SADD', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV))) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1`,
  },
  // KEYS: liked set, generation. ARGV: new generation, ttl, 'add' | 'remove', post id.
  warbleLikedChange: {
    keys: 2,
    lua: `
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[3] == 'add' then redis.call('SADD', KEYS[1], ARGV[4]) else redis.call('SREM', KEYS[1], ARGV[4]) end
return 1`,
  },
} as const;

type ScriptName = keyof typeof SCRIPTS;

export interface CachedPosts {
  contents: Map<string, PostContent>;
  states: Map<string, PostState>;
  /** The viewer's likes among the ids, or undefined when their liked set is not cached. */
  liked: Set<string> | undefined;
}

const encodeState = (state: PostState) => `${state.version}:${state.likeCount}:${state.commentCount}:${state.deleted ? 1 : 0}`;

function decodeState(value: string): PostState {
  const [version, likeCount, commentCount, deleted] = value.split(':').map(Number);
  return { version, likeCount, commentCount, deleted: deleted === 1 };
}

@Injectable()
export class PostCache {
  private readonly redis: Scripted<RedisClient, ScriptName>;
  /**
   * Contents never change, so each process also keeps the most recently
   * cached ones in memory: a feed page then fetches only the small state
   * strings from Redis. Deletion lives in the state, not here.
   */
  private readonly localContents: BoundedCache<string, PostContent>;

  constructor(
    @Inject(REDIS) redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
  ) {
    this.redis = withScripts(redis, SCRIPTS);
    this.localContents = new BoundedCache({ name: 'post-contents', maxEntries: config.POST_CONTENT_LOCAL_ENTRIES });
  }

  // Hash tags: a post's keys share {p<id>}, a viewer's liked set and its generation {u<id>}
  // (the liked scripts touch both at once).
  private static contentKey = (id: string) => `warble:post:{p${id}}`;
  private static stateKey = (id: string) => `warble:post:{p${id}}:state`;
  private static likedKey = (userId: string) => `warble:liked:{u${userId}}`;
  private static likedGenerationKey = (userId: string) => `warble:liked:{u${userId}}:gen`;

  /**
   * One round trip (separate commands, so that ioredis's auto-pipelining
   * sends those of concurrent requests in one write): the states, the
   * contents this process does not hold, and the viewer's likes among the ids.
   */
  async read(ids: string[], viewerId: string | undefined): Promise<CachedPosts> {
    const cached: CachedPosts = { contents: new Map(), states: new Map(), liked: undefined };
    const remote: string[] = [];
    for (const id of ids) {
      const content = this.localContents.get(id);
      if (content) cached.contents.set(id, content);
      else remote.push(id);
    }
    const [values, membership] = await withinRedisDeadline(
      Promise.all([
        getMany(this.redis, [...ids.map(PostCache.stateKey), ...remote.map(PostCache.contentKey)]),
        viewerId === undefined ? undefined : this.redis.smismember(PostCache.likedKey(viewerId), LIKED_SET_COMPLETE, ...ids),
      ]),
      this.config.REDIS_REQUEST_TIMEOUT_MS,
      'post-cache',
    );
    ids.forEach((id, index) => {
      const state = values[index];
      if (state !== null) cached.states.set(id, decodeState(state));
    });
    remote.forEach((id, index) => {
      const content = values[ids.length + index];
      if (content === null) return;
      const parsed = JSON.parse(content) as PostContent;
      cached.contents.set(id, parsed);
      this.localContents.set(id, parsed);
    });
    if (membership?.[0] === 1) cached.liked = new Set(ids.filter((_, index) => membership[index + 1] === 1));
    return cached;
  }

  /** The generation of the viewer's likes: read it before reading their likes from Postgres, then pass it to loadLiked. */
  async likedGeneration(viewerId: string): Promise<string> {
    return (await this.redis.get(PostCache.likedGenerationKey(viewerId))) ?? '';
  }

  async writePosts(posts: { content?: PostContent; id: string; state: PostState }[]): Promise<void> {
    for (const post of posts) if (post.content) this.localContents.set(post.id, post.content);
    await writeEach(this.redis, posts, (target, post) => [
      post.content ? target.set(PostCache.contentKey(post.id), JSON.stringify(post.content), 'EX', this.config.POST_CACHE_TTL_SECONDS) : undefined,
      this.queueState(target, post.id, post.state),
    ]);
  }

  async writeState(postId: string, state: PostState): Promise<void> {
    await this.redis.warblePostStateSet(PostCache.stateKey(postId), state.version, encodeState(state), this.config.POST_STATE_TTL_SECONDS);
  }

  /** Builds the viewer's liked set, unless one of their likes changed since `generation` was read. */
  async loadLiked(viewerId: string, generation: string, postIds: string[]): Promise<void> {
    await this.redis.warbleLikedLoad(PostCache.likedKey(viewerId), PostCache.likedGenerationKey(viewerId), generation, this.config.POST_STATE_TTL_SECONDS, ...postIds);
  }

  async likedChanged(viewerId: string, postId: string, liked: boolean): Promise<void> {
    await this.redis.warbleLikedChange(
      PostCache.likedKey(viewerId),
      PostCache.likedGenerationKey(viewerId),
      randomUUID(),
      this.config.POST_STATE_TTL_SECONDS,
      liked ? 'add' : 'remove',
      postId,
    );
  }

  /** Drops a viewer's liked set: the next read rebuilds it from Postgres. */
  async forgetLiked(viewerId: string): Promise<void> {
    await this.redis.del(PostCache.likedKey(viewerId));
  }

  private queueState(target: ChainableCommander | RedisClient, postId: string, state: PostState): unknown {
    return (target as Scripted<ChainableCommander | RedisClient, ScriptName>).warblePostStateSet(
      PostCache.stateKey(postId),
      state.version,
      encodeState(state),
      this.config.POST_STATE_TTL_SECONDS,
    );
  }
}
