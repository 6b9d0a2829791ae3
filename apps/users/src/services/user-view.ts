import type { UserView } from '@app/api';
import type { UserRecord } from '../repositories/user.repository.js';

/** Maps a row to the public User object; rows never reach the API directly. */
export function toUserView(user: UserRecord): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    bio: user.bio,
    createdAt: user.createdAt.toISOString(),
    // Counts are owned by graph and posts; the users service learns them from events (accounts issue).
    followersCount: 0,
    followingCount: 0,
    postsCount: 0,
  };
}
