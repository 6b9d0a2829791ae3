import { outboxTraceContextMigration } from '@app/platform';
import { CreateCommentsBase1764300000000 } from './1764300000000-create-comments-base.js';
import { CreateComments1764300000001 } from './1764300000001-create-comments.js';
import { CreateCommentsWorkerLeases1764500000000 } from './1764500000000-create-worker-leases.js';

export const commentsMigrations = [CreateCommentsBase1764300000000, CreateComments1764300000001, CreateCommentsWorkerLeases1764500000000, outboxTraceContextMigration('comments', 'AddCommentsOutboxTraceContext1764600000000')];
