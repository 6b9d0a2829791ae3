import { experimentsEnv, rateLimitEnv, redisEnv, serviceEnv, serviceUrls } from '@app/platform';
import { z } from 'zod';

const perWindow = z.coerce.number().int().positive().max(1_000_000_000);
const ORIGIN = /^https?:\/\/[^/\s,]+$/;

/** `CORS_ORIGINS`: comma-separated origins (`https://app.example`) or `*`; empty allows none. */
const corsOrigins = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
  .refine((origins) => origins.every((origin) => origin === '*' || ORIGIN.test(origin)), 'must be "*" or comma-separated origins like https://app.example');

export const gatewayConfigSchema = serviceEnv.extend(redisEnv.shape).extend(rateLimitEnv.shape).extend(experimentsEnv.shape).extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  USERS_URL: serviceUrls,
  POSTS_URL: serviceUrls,
  GRAPH_URL: serviceUrls,
  SEARCH_URL: serviceUrls,
  COMMENTS_URL: serviceUrls,
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().max(60_000).default(5_000),
  UPSTREAM_CONNECTIONS: z.coerce.number().int().positive().max(1024).default(64),
  // How often each replica's /health/ready is asked while it is out of rotation (and while it is in).
  UPSTREAM_HEALTH_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  // A canary beside a service's replicas (docs/operations.md, "A canary on this machine"): this JSON file,
  // polled every UPSTREAM_CANARIES_POLL_MS, names it and its share. Unset, no canary.
  UPSTREAM_CANARIES_FILE: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).optional()),
  UPSTREAM_CANARIES_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(500),
  CORS_ORIGINS: corsOrigins,
  // Request budgets per window (docs/api.md, "Limits"); the defaults are .env.example's production values.
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().max(86_400).default(300),
  RATE_LIMIT_API_PER_USER: perWindow.default(1_500),
  RATE_LIMIT_API_PER_IP: perWindow.default(300),
  RATE_LIMIT_SEARCH_PER_USER: perWindow.default(300),
  RATE_LIMIT_SEARCH_PER_IP: perWindow.default(100),
  RATE_LIMIT_WRITES_PER_USER: perWindow.default(300),
  RATE_LIMIT_AUTH_PER_IP: perWindow.default(100),
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
