import { outboxTraceContextMigration } from '@app/platform';
import { CreateGraphBase1764300000000 } from './1764300000000-create-graph-base.js';
import { CreateFollows1764400000000 } from './1764400000000-create-follows.js';
import { CreateProfiles1764400000001 } from './1764400000001-create-profiles.js';
import { CreateGraphWorkerLeases1764500000000 } from './1764500000000-create-worker-leases.js';

export const graphMigrations = [CreateGraphBase1764300000000, CreateFollows1764400000000, CreateProfiles1764400000001, CreateGraphWorkerLeases1764500000000, outboxTraceContextMigration('graph', 'AddGraphOutboxTraceContext1764600000000')];
