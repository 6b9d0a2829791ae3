import { outboxTraceContextMigration } from '@app/platform';
import { CreatePostsBase1764300000000 } from './1764300000000-create-posts-base.js';
import { CreatePosts1764400000000 } from './1764400000000-create-posts.js';
import { CreatePostsProjections1764400000001 } from './1764400000001-create-posts-projections.js';
import { AddPostStateVersion1764400000002 } from './1764400000002-add-post-state-version.js';
import { CreatePostsWorkerLeases1764500000000 } from './1764500000000-create-worker-leases.js';

export const postsMigrations = [CreatePostsBase1764300000000, CreatePosts1764400000000, CreatePostsProjections1764400000001, AddPostStateVersion1764400000002, CreatePostsWorkerLeases1764500000000, outboxTraceContextMigration('posts', 'AddPostsOutboxTraceContext1764600000000')];
