import { databaseEnv, kafkaEnv, rateLimitEnv, redisEnv, serviceEnv, tokenSigningEnv } from '@app/platform';
import { z } from 'zod';

const count = z.coerce.number().int().positive().max(1_000_000_000);
const seconds = z.coerce.number().int().positive().max(30 * 86_400);

/**
 * Login throttling (docs/api.md, "Login throttling"): failed logins per account
 * and per client IP. Defaults are the production values of .env.example.
 */
export const loginThrottleEnv = z.object({
  // Failures one account (or one unknown login) may take per window before it is blocked.
  LOGIN_FAILS_PER_ACCOUNT: count.default(10),
  LOGIN_FAIL_WINDOW_SECONDS: seconds.default(900),
  // The first block; each further block within 24 h lasts twice as long, up to the maximum.
  LOGIN_BLOCK_SECONDS: seconds.default(900),
  LOGIN_BLOCK_MAX_SECONDS: seconds.default(86_400),
  // Failures from one client IP across all accounts per window (credential stuffing).
  LOGIN_FAILS_PER_IP: count.default(50),
  LOGIN_IP_WINDOW_SECONDS: seconds.default(3_600),
});

export const usersConfigSchema = serviceEnv
  .extend(databaseEnv.shape)
  .extend(kafkaEnv.shape)
  .extend(tokenSigningEnv.shape)
  .extend(redisEnv.shape)
  .extend(rateLimitEnv.shape)
  .extend(loginThrottleEnv.shape)
  .refine((config) => config.LOGIN_BLOCK_MAX_SECONDS >= config.LOGIN_BLOCK_SECONDS, { path: ['LOGIN_BLOCK_MAX_SECONDS'], message: 'must not be below LOGIN_BLOCK_SECONDS' });
export type UsersConfig = z.infer<typeof usersConfigSchema>;
