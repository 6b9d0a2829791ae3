import { Injectable } from '@nestjs/common';
import { toUserView, type UpdateProfileDto, USERNAME_PATTERN, type UserView } from '@app/api';
import { DomainError, UnitOfWork } from '@app/platform';
import { UserRepository } from '../repositories/user.repository.js';

const userNotFound = () => new DomainError('USER_NOT_FOUND', 'No such user.');

@Injectable()
export class ProfileService {
  constructor(
    private readonly users: UserRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async me(userId: string): Promise<UserView> {
    const user = await this.users.findWithCounts(userId);
    if (!user) throw userNotFound();
    return { ...toUserView(user), email: user.email };
  }

  async byUsername(username: string): Promise<UserView> {
    // A string that cannot be a username names nobody (and never reaches SQL).
    const user = USERNAME_PATTERN.test(username) ? await this.users.findByUsername(username) : undefined;
    if (!user) throw userNotFound();
    return toUserView(user);
  }

  /** Applies the change and emits `user.updated` in one transaction. */
  async update(userId: string, changes: UpdateProfileDto): Promise<UserView> {
    const user = await this.unitOfWork.run(async (tx) => {
      const updated = await this.users.updateProfile(tx.manager, userId, changes);
      if (!updated) throw userNotFound();
      await tx.publish({
        type: 'user.updated',
        key: updated.id,
        data: { userId: updated.id, username: updated.username, displayName: updated.displayName, bio: updated.bio },
      });
      return updated;
    });
    return { ...toUserView(user), email: user.email };
  }
}
