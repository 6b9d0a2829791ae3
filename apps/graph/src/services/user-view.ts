import type { UserView } from '@app/api';
import type { ProfileRecord } from '../repositories/profile.repository.js';

/** Maps a profile row to the public User object; `followedByMe` only for an authenticated caller. */
export function toUserView(profile: ProfileRecord, followedByMe?: boolean): UserView {
  return {
    id: profile.id,
    username: profile.username,
    displayName: profile.displayName,
    bio: profile.bio,
    createdAt: profile.createdAt.toISOString(),
    followersCount: profile.followersCount,
    followingCount: profile.followingCount,
    postsCount: profile.postsCount,
    ...(followedByMe === undefined ? {} : { followedByMe }),
  };
}
