import { outboxTraceContextMigration } from '@app/platform';
import { CreateSearchUsers1764300000000 } from './1764300000000-create-search-users.js';
import { CreateSearchPosts1764300000001 } from './1764300000001-create-search-posts.js';
import { UserSimilarityAndFollows1764300000002 } from './1764300000002-user-similarity-and-follows.js';
import { CreateSearchWorkerLeases1764500000000 } from './1764500000000-create-worker-leases.js';
import { FoldDiacritics1764700000000 } from './1764700000000-fold-diacritics.js';
import { CreateExperimentExposures1764900000000 } from './1764900000000-create-experiment-exposures.js';

export const searchMigrations = [CreateSearchUsers1764300000000, CreateSearchPosts1764300000001, UserSimilarityAndFollows1764300000002, CreateSearchWorkerLeases1764500000000, outboxTraceContextMigration('search', 'AddSearchOutboxTraceContext1764600000000'), FoldDiacritics1764700000000, CreateExperimentExposures1764900000000];
