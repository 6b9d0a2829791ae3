import { databaseEnv, kafkaEnv, serviceEnv, tokenSigningEnv } from '@app/platform';
import type { z } from 'zod';

export const usersConfigSchema = serviceEnv.extend(databaseEnv.shape).extend(kafkaEnv.shape).extend(tokenSigningEnv.shape);
export type UsersConfig = z.infer<typeof usersConfigSchema>;
