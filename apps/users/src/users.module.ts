import { Module } from '@nestjs/common';
import { DatabaseModule, HealthModule, MessagingModule } from '@app/platform';
import { AuthController } from './controllers/auth.controller.js';
import { UsersController } from './controllers/users.controller.js';
import { usersMigrations } from './migrations/index.js';
import { RefreshTokenRepository } from './repositories/refresh-token.repository.js';
import { UserRepository } from './repositories/user.repository.js';
import { AuthService } from './services/auth.service.js';
import { PasswordHasher } from './services/password-hasher.js';
import { ProfileService } from './services/profile.service.js';
import { RegistrationService } from './services/registration.service.js';
import { TokenIssuer } from './services/token-issuer.js';

export const USERS_DATABASE = { schema: 'users', entities: [], migrations: usersMigrations };

@Module({
  imports: [DatabaseModule.forService(USERS_DATABASE), MessagingModule.forService({}), HealthModule.forDependencies(['postgres', 'kafka'])],
  controllers: [AuthController, UsersController],
  providers: [UserRepository, RefreshTokenRepository, PasswordHasher, TokenIssuer, RegistrationService, AuthService, ProfileService],
})
export class UsersModule {}
