import { databaseEnv, kafkaEnv, redisEnv, serviceEnv } from '@app/platform';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();

/** Home feed and cache settings (docs/architecture.md, "The home feed"). */
export const feedEnv = z.object({
  // Authors with more followers than this are not fanned out: their posts are merged at read time.
  FEED_CELEBRITY_THRESHOLD: z.coerce.number().int().min(0).default(1000),
  // Entries kept per home feed (Twitter and Mastodon keep about 800).
  FEED_MAX_LENGTH: positiveInt.max(10_000).default(800),
  // Followers read per query (and Redis writes per pipeline) during a fan-out.
  FEED_FANOUT_BATCH_SIZE: positiveInt.max(10_000).default(1000),
  // A feed nobody reads for this long expires; it is rebuilt from Postgres on the next read.
  FEED_TTL_SECONDS: positiveInt.default(7 * 86_400),
  // How long a celebrity's recent post ids stay cached (also dropped when the celebrity posts).
  FEED_CELEBRITY_POSTS_TTL_MS: positiveInt.default(2_000),
  // ...and in each process's memory for this long in front of Redis (0 turns that layer off).
  FEED_CELEBRITY_POSTS_LOCAL_TTL_MS: z.coerce.number().int().min(0).default(500),
  // How long a reader's list of followed celebrities stays cached (also dropped on follow changes).
  FEED_CELEBRITY_FOLLOWS_TTL_SECONDS: positiveInt.default(60),
  // Post text, hashtags and mentions never change: cached for this long.
  POST_CACHE_TTL_SECONDS: positiveInt.default(3_600),
  // ...and the most recent this many are also kept in each process's memory (0: none).
  POST_CONTENT_LOCAL_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(50_000),
  // Counts, deletion and readers' liked sets in Redis: kept exact by the writers; the TTL only
  // bounds how long a write lost to a crash between commit and cache update can show.
  POST_STATE_TTL_SECONDS: positiveInt.default(600),
  // Authors' names in process memory; older entries are refreshed in the background (renames show after about this long).
  AUTHOR_CACHE_TTL_MS: z.coerce.number().int().min(0).default(5_000),
});

export const postsConfigSchema = serviceEnv.extend(databaseEnv.shape).extend(kafkaEnv.shape).extend(redisEnv.shape).extend(feedEnv.shape);
export type PostsConfig = z.infer<typeof postsConfigSchema>;
