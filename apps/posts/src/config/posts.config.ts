import { databaseEnv, kafkaEnv, serviceEnv } from '@app/platform';
import type { z } from 'zod';

export const postsConfigSchema = serviceEnv.extend(databaseEnv.shape).extend(kafkaEnv.shape);
export type PostsConfig = z.infer<typeof postsConfigSchema>;
