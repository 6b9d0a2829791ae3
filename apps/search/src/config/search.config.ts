import { databaseEnv, kafkaEnv, readYourWritesRedisEnv, serviceEnv } from '@app/platform';
import type { z } from 'zod';

export const searchConfigSchema = serviceEnv.extend(databaseEnv.shape).extend(kafkaEnv.shape).extend(readYourWritesRedisEnv.shape);
export type SearchConfig = z.infer<typeof searchConfigSchema>;
