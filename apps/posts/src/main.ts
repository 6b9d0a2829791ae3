import { bootstrap } from '@app/platform';
import { postsConfigSchema } from './config/posts.config.js';
import { PostsModule } from './posts.module.js';

await bootstrap({ service: 'posts', configSchema: postsConfigSchema, rootModule: PostsModule, consumerGroup: 'posts' });
