import { databaseEnv, kafkaEnv, serviceEnv } from '@app/platform';
import type { z } from 'zod';

export const usersConfigSchema = serviceEnv.extend(databaseEnv.shape).extend(kafkaEnv.shape);
export type UsersConfig = z.infer<typeof usersConfigSchema>;
