import { databaseEnv, kafkaEnv, redisEnv, serviceEnv } from '@app/platform';
import type { z } from 'zod';

export const graphConfigSchema = serviceEnv.extend(databaseEnv.shape).extend(kafkaEnv.shape).extend(redisEnv.shape);
export type GraphConfig = z.infer<typeof graphConfigSchema>;
