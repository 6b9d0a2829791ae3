import { Injectable } from '@nestjs/common';
import { NO_COUNTS, type RegisterDto, toUserView, type UserView } from '@app/api';
import { DomainError, SnowflakeGenerator, uniqueViolation, UnitOfWork } from '@app/platform';
import { UserRepository } from '../repositories/user.repository.js';
import { PasswordHasher } from './password-hasher.js';

@Injectable()
export class RegistrationService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly ids: SnowflakeGenerator,
  ) {}

  /** Creates the account and emits `user.registered` in the same transaction. */
  async register(input: RegisterDto): Promise<UserView> {
    const passwordHash = await this.hasher.hash(input.password);
    try {
      const user = await this.unitOfWork.run(async (tx) => {
        const created = await this.users.insert(tx.manager, {
          id: this.ids.next(),
          username: input.username,
          email: input.email,
          passwordHash,
          displayName: input.displayName ?? input.username,
        });
        await tx.publish({
          type: 'user.registered',
          key: created.id,
          data: { userId: created.id, username: created.username, displayName: created.displayName, createdAt: created.createdAt.toISOString() },
        });
        return created;
      });
      // A new account: nobody follows it and it has not posted yet.
      return toUserView({ ...user, ...NO_COUNTS });
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === 'users_username_key') throw new DomainError('USERNAME_TAKEN', `The username "${input.username}" is already taken.`);
      if (constraint === 'users_email_key') throw new DomainError('EMAIL_TAKEN', 'This email address is already registered.');
      throw error;
    }
  }
}
