import { bootstrap } from '@app/platform';
import { commentsConfigSchema } from './config/comments.config.js';
import { CommentsModule } from './comments.module.js';

await bootstrap({ service: 'comments', configSchema: commentsConfigSchema, rootModule: CommentsModule, consumerGroup: 'comments' });
