import { Module } from '@nestjs/common';
import { DatabaseModule, HealthModule, MessagingModule } from '@app/platform';
import { UsersEventsConsumer } from './consumers/users-events.consumer.js';
import { SearchController } from './controllers/search.controller.js';
import { searchMigrations } from './migrations/index.js';
import { UserIndexRepository } from './repositories/user-index.repository.js';
import { UserSearchService } from './services/user-search.service.js';

export const SEARCH_DATABASE = { schema: 'search', entities: [], migrations: searchMigrations };

@Module({
  imports: [
    DatabaseModule.forService(SEARCH_DATABASE),
    MessagingModule.forService({ consumerGroup: 'search' }),
    HealthModule.forDependencies(['postgres', 'kafka']),
  ],
  controllers: [SearchController, UsersEventsConsumer],
  providers: [UserIndexRepository, UserSearchService],
})
export class SearchModule {}
