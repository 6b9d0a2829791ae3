import { bootstrap } from '@app/platform';
import { graphConfigSchema } from './config/graph.config.js';
import { GraphModule } from './graph.module.js';

await bootstrap({ service: 'graph', configSchema: graphConfigSchema, rootModule: GraphModule, consumerGroup: 'graph' });
