import type { UserView } from '@app/api';
import type { UserCounts, UserRecord } from '../repositories/user.repository.js';

const NO_COUNTS: UserCounts = { followersCount: 0, followingCount: 0, postsCount: 0 };

/** Maps a row to the public User object; rows never reach the API directly. A new account has no counts yet. */
export function toUserView(user: UserRecord, counts: UserCounts = NO_COUNTS): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    bio: user.bio,
    createdAt: user.createdAt.toISOString(),
    // Counted by graph and posts; users learns them from their events (UserStatsService).
    followersCount: counts.followersCount,
    followingCount: counts.followingCount,
    postsCount: counts.postsCount,
  };
}
