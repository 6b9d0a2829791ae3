import { Injectable } from '@nestjs/common';
import { type Caller, DomainError, SnowflakeGenerator, UnitOfWork } from '@app/platform';
import { FollowRepository } from '../repositories/follow.repository.js';
import { ProfileRepository } from '../repositories/profile.repository.js';
import { requireProfile } from './profile-lookup.js';

const cannotFollowSelf = () => new DomainError('CANNOT_FOLLOW_SELF', 'You cannot follow yourself.');

/** True when `username` names the caller (usernames are unique case-insensitively). */
export function isOwnUsername(caller: Caller, username: string): boolean {
  return caller.username.toLowerCase() === username.toLowerCase();
}

/**
 * Follow and unfollow. The edge, both users' counters and the event change in
 * one transaction, and only when the edge really changed: repeated or
 * concurrent calls for one pair leave exact counts and one event per change.
 */
@Injectable()
export class FollowService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly follows: FollowRepository,
    private readonly profiles: ProfileRepository,
    private readonly ids: SnowflakeGenerator,
  ) {}

  async follow(caller: Caller, username: string): Promise<void> {
    // Checked before the lookup too: the caller's own profile may not have reached graph yet.
    if (isOwnUsername(caller, username)) throw cannotFollowSelf();
    const followeeId = (await requireProfile(this.profiles, username)).id;
    if (followeeId === caller.id) throw cannotFollowSelf();
    await this.unitOfWork.run(async (tx) => {
      const edge = await this.follows.insert(tx.manager, { id: this.ids.next(), followerId: caller.id, followeeId });
      if (!edge) return;
      await this.profiles.addFollow(tx.manager, caller.id, followeeId, 1);
      await tx.publish({ type: 'user.followed', key: caller.id, data: { followerId: caller.id, followeeId, at: edge.at.toISOString() } });
    });
  }

  /** Unfollowing yourself is a no-op like any other absent edge (204). */
  async unfollow(caller: Caller, username: string): Promise<void> {
    const followeeId = (await requireProfile(this.profiles, username)).id;
    await this.unitOfWork.run(async (tx) => {
      const edge = await this.follows.delete(tx.manager, caller.id, followeeId);
      if (!edge) return;
      await this.profiles.addFollow(tx.manager, caller.id, followeeId, -1);
      await tx.publish({ type: 'user.unfollowed', key: caller.id, data: { followerId: caller.id, followeeId, at: edge.at.toISOString() } });
    });
  }
}
