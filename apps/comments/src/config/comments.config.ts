import { databaseEnv, kafkaEnv, serviceEnv } from '@app/platform';
import { z } from 'zod';

/**
 * A comment on a post that comments has not heard of yet (its post.created is
 * still on the way) waits for it, briefly and boundedly (docs/api.md, "Comments
 * right after a post").
 */
export const postWaitEnv = z.object({
  // How long such a request waits for the post at most (0: answer 404 at once). Keep it below the gateway's UPSTREAM_TIMEOUT_MS.
  COMMENTS_POST_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(3_000),
  // Only a post id made less than this long ago (its Snowflake time) can still be in flight; older unknown ids get 404 at once.
  COMMENTS_POST_WAIT_MAX_AGE_MS: z.coerce.number().int().positive().max(600_000).default(30_000),
  // Requests waiting at once per process; when all are taken, another unknown post answers 404 at once.
  COMMENTS_POST_WAITERS_MAX: z.coerce.number().int().min(0).max(100_000).default(256),
});

export const commentsConfigSchema = serviceEnv.extend(databaseEnv.shape).extend(kafkaEnv.shape).extend(postWaitEnv.shape);
export type CommentsConfig = z.infer<typeof commentsConfigSchema>;
