import { outboxTraceContextMigration } from '@app/platform';
import { CreateUsers1764300000000 } from './1764300000000-create-users.js';
import { CreateRefreshTokens1764300000001 } from './1764300000001-create-refresh-tokens.js';
import { CreateUserStats1764400000000 } from './1764400000000-create-user-stats.js';
import { CreateUsersWorkerLeases1764500000000 } from './1764500000000-create-worker-leases.js';

export const usersMigrations = [CreateUsers1764300000000, CreateRefreshTokens1764300000001, CreateUserStats1764400000000, CreateUsersWorkerLeases1764500000000, outboxTraceContextMigration('users', 'AddUsersOutboxTraceContext1764600000000')];
