import { redisEnv, serviceEnv } from '@app/platform';
import { z } from 'zod';

const serviceUrl = z.url({ protocol: /^https?$/ });
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const perWindow = z.coerce.number().int().positive().max(1_000_000_000);
const ORIGIN = /^https?:\/\/[^/\s,]+$/;

/** `CORS_ORIGINS`: comma-separated origins (`https://app.example`) or `*`; empty allows none. */
const corsOrigins = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
  .refine((origins) => origins.every((origin) => origin === '*' || ORIGIN.test(origin)), 'must be "*" or comma-separated origins like https://app.example');

export const gatewayConfigSchema = serviceEnv.extend(redisEnv.shape).extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  USERS_URL: serviceUrl,
  POSTS_URL: serviceUrl,
  GRAPH_URL: serviceUrl,
  SEARCH_URL: serviceUrl,
  COMMENTS_URL: serviceUrl,
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().max(60_000).default(5_000),
  UPSTREAM_CONNECTIONS: z.coerce.number().int().positive().max(1024).default(64),
  CORS_ORIGINS: corsOrigins,
  RATE_LIMIT_ENABLED: flag.default(true),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().max(86_400).default(60),
  RATE_LIMIT_AUTH_PER_IP: perWindow.default(3_000),
  RATE_LIMIT_WRITES_PER_USER: perWindow.default(1_000),
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
