import { Module } from '@nestjs/common';
import { CountedPosts } from '@app/domain';
import { DatabaseModule, HealthModule, MessagingModule, RedisModule } from '@app/platform';
import { GraphEventsConsumer } from './consumers/graph-events.consumer.js';
import { PostsEventsConsumer } from './consumers/posts-events.consumer.js';
import { AuthController } from './controllers/auth.controller.js';
import { UsersController } from './controllers/users.controller.js';
import { usersMigrations } from './migrations/index.js';
import { RefreshTokenRepository } from './repositories/refresh-token.repository.js';
import { UserStatsRepository } from './repositories/user-stats.repository.js';
import { UserRepository } from './repositories/user.repository.js';
import { AuthService } from './services/auth.service.js';
import { LoginThrottle } from './services/login-throttle.js';
import { PasswordHasher } from './services/password-hasher.js';
import { ProfileService } from './services/profile.service.js';
import { RegistrationService } from './services/registration.service.js';
import { TokenIssuer } from './services/token-issuer.js';
import { UserStatsService } from './services/user-stats.service.js';

export const USERS_DATABASE = { schema: 'users', entities: [], migrations: usersMigrations };

@Module({
  imports: [
    DatabaseModule.forService(USERS_DATABASE),
    // users consumes too: the counts of GET/PATCH /users/me come from graph and posts events.
    MessagingModule.forService({ consumerGroup: 'users' }),
    // Redis holds the login throttle's counters; not a readiness dependency: its in-process insurance counts while Redis is away.
    RedisModule,
    HealthModule.forDependencies(['postgres', 'kafka']),
  ],
  controllers: [AuthController, UsersController, GraphEventsConsumer, PostsEventsConsumer],
  providers: [
    UserRepository,
    RefreshTokenRepository,
    UserStatsRepository,
    CountedPosts,
    PasswordHasher,
    TokenIssuer,
    RegistrationService,
    AuthService,
    LoginThrottle,
    ProfileService,
    UserStatsService,
  ],
})
export class UsersModule {}
