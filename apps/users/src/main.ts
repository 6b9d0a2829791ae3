import { bootstrap } from '@app/platform';
import { usersConfigSchema } from './config/users.config.js';
import { UsersModule } from './users.module.js';

await bootstrap({ service: 'users', configSchema: usersConfigSchema, rootModule: UsersModule, consumerGroup: 'users' });
