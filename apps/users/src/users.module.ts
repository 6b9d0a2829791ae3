import { Module } from '@nestjs/common';
import { DatabaseModule, HealthModule, MessagingModule } from '@app/platform';
import { AuthController } from './controllers/auth.controller.js';
import { usersMigrations } from './migrations/index.js';
import { UserRepository } from './repositories/user.repository.js';
import { PasswordHasher } from './services/password-hasher.js';
import { RegistrationService } from './services/registration.service.js';

export const USERS_DATABASE = { schema: 'users', entities: [], migrations: usersMigrations };

@Module({
  imports: [DatabaseModule.forService(USERS_DATABASE), MessagingModule.forService({}), HealthModule.forDependencies(['postgres', 'kafka'])],
  controllers: [AuthController],
  providers: [UserRepository, PasswordHasher, RegistrationService],
})
export class UsersModule {}
