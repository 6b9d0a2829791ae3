import { redisEnv, serviceEnv } from '@app/platform';
import { z } from 'zod';

const serviceUrl = z.url({ protocol: /^https?$/ });

export const gatewayConfigSchema = serviceEnv.extend(redisEnv.shape).extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  USERS_URL: serviceUrl,
  POSTS_URL: serviceUrl,
  GRAPH_URL: serviceUrl,
  SEARCH_URL: serviceUrl,
  COMMENTS_URL: serviceUrl,
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().max(60_000).default(5_000),
  UPSTREAM_CONNECTIONS: z.coerce.number().int().positive().max(1024).default(64),
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
