import { Module } from '@nestjs/common';
import { AssignmentReader, DatabaseModule, HealthModule, MessagingModule } from '@app/platform';
import { GraphEventsConsumer } from './consumers/graph-events.consumer.js';
import { PostsEventsConsumer } from './consumers/posts-events.consumer.js';
import { UsersEventsConsumer } from './consumers/users-events.consumer.js';
import { SearchController } from './controllers/search.controller.js';
import { searchMigrations } from './migrations/index.js';
import { ExposureRepository } from './repositories/exposure.repository.js';
import { PostIndexRepository } from './repositories/post-index.repository.js';
import { UserIndexRepository } from './repositories/user-index.repository.js';
import { ExposureRecorder } from './services/exposure-recorder.js';
import { PostSearchService } from './services/post-search.service.js';
import { ResultsShownRecorder } from './services/results-shown-recorder.js';
import { UserSearchService } from './services/user-search.service.js';

export const SEARCH_DATABASE = { schema: 'search', entities: [], migrations: searchMigrations };

@Module({
  imports: [
    DatabaseModule.forService(SEARCH_DATABASE),
    MessagingModule.forService({ consumerGroup: 'search' }),
    HealthModule.forDependencies(['postgres', 'kafka']),
  ],
  controllers: [SearchController, UsersEventsConsumer, GraphEventsConsumer, PostsEventsConsumer],
  providers: [UserIndexRepository, PostIndexRepository, ExposureRepository, UserSearchService, PostSearchService, ExposureRecorder, ResultsShownRecorder, AssignmentReader],
})
export class SearchModule {}
