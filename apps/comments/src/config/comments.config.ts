import { databaseEnv, kafkaEnv, serviceEnv, serviceUrls } from '@app/platform';
import { z } from 'zod';

/**
 * A comment on a post that comments has not heard of yet (its post.created is
 * still on the way) waits for it briefly, then asks the posts service
 * (docs/api.md, "Comments right after a post").
 */
export const postWaitEnv = z.object({
  // How long such a request waits for the post at most, asking posts included (0: ask posts at once). Keep it below the gateway's UPSTREAM_TIMEOUT_MS.
  COMMENTS_POST_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(3_000),
  // After this long without the event (at most COMMENTS_POST_WAIT_MS), posts is asked whether the post exists.
  COMMENTS_POST_ASK_AFTER_MS: z.coerce.number().int().min(0).max(10_000).default(500),
  // Only a post id made less than this long ago (its Snowflake time) can still be in flight; older unknown ids get 404 at once.
  COMMENTS_POST_WAIT_MAX_AGE_MS: z.coerce.number().int().positive().max(600_000).default(30_000),
  // Requests waiting at once per process; when all are taken, another unknown young post asks posts at once.
  COMMENTS_POST_WAITERS_MAX: z.coerce.number().int().min(0).max(100_000).default(256),
});

/** The posts service, owner of the posts comments projects (its replicas, balanced like the gateway's calls). */
export const postsClientEnv = z.object({
  POSTS_URL: serviceUrls,
  // One question to posts (connect, headers, body), retry on another replica included in neither.
  COMMENTS_POSTS_TIMEOUT_MS: z.coerce.number().int().positive().max(10_000).default(1_500),
  COMMENTS_POSTS_CONNECTIONS: z.coerce.number().int().positive().max(256).default(8),
});

export const commentsConfigSchema = serviceEnv.extend(databaseEnv.shape).extend(kafkaEnv.shape).extend(postWaitEnv.shape).extend(postsClientEnv.shape);
export type CommentsConfig = z.infer<typeof commentsConfigSchema>;
