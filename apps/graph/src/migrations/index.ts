import { CreateGraphBase1764300000000 } from './1764300000000-create-graph-base.js';

export const graphMigrations = [CreateGraphBase1764300000000];
