import { bootstrap } from '@app/platform';
import { searchConfigSchema } from './config/search.config.js';
import { SearchModule } from './search.module.js';

await bootstrap({ service: 'search', configSchema: searchConfigSchema, rootModule: SearchModule, consumerGroup: 'search' });
