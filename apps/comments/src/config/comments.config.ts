import { databaseEnv, kafkaEnv, serviceEnv } from '@app/platform';
import type { z } from 'zod';

export const commentsConfigSchema = serviceEnv.extend(databaseEnv.shape).extend(kafkaEnv.shape);
export type CommentsConfig = z.infer<typeof commentsConfigSchema>;
