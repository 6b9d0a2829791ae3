import { Module } from '@nestjs/common';
import { DatabaseModule, HealthModule, MessagingModule, UserDirectoryModule } from '@app/platform';
import { graphMigrations } from './migrations/index.js';

export const GRAPH_DATABASE = { schema: 'graph', entities: [], migrations: graphMigrations };

@Module({
  imports: [
    DatabaseModule.forService(GRAPH_DATABASE),
    MessagingModule.forService({ consumerGroup: 'graph' }),
    HealthModule.forDependencies(['postgres', 'kafka']),
    UserDirectoryModule,
  ],
})
export class GraphModule {}
