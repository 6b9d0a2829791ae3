import { runMigrationsCommand } from '@app/platform';
import { GRAPH_DATABASE } from './graph.module.js';

await runMigrationsCommand('graph', GRAPH_DATABASE);
