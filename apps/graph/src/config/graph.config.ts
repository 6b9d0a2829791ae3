import { databaseEnv, kafkaEnv, readYourWritesRedisEnv, serviceEnv } from '@app/platform';
import type { z } from 'zod';

export const graphConfigSchema = serviceEnv.extend(databaseEnv.shape).extend(kafkaEnv.shape).extend(readYourWritesRedisEnv.shape);
export type GraphConfig = z.infer<typeof graphConfigSchema>;
