import type { UserView } from './views.js';

/** What a service holds of a user to show the public User object: the profile and its counts. */
export interface UserProfile {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  createdAt: Date;
  followersCount: number;
  followingCount: number;
  postsCount: number;
}

/** The counts of an account nobody has followed and that has not posted yet. */
export const NO_COUNTS = { followersCount: 0, followingCount: 0, postsCount: 0 } as const;

/**
 * The one mapping of a user row to the public User object (users, graph and
 * search serve it). It copies the public fields only, so a row with more
 * (users' `email`) never leaks them; `followedByMe` is there only when a
 * caller was known.
 */
export function toUserView(user: UserProfile, followedByMe?: boolean): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    bio: user.bio,
    createdAt: user.createdAt.toISOString(),
    followersCount: user.followersCount,
    followingCount: user.followingCount,
    postsCount: user.postsCount,
    ...(followedByMe === undefined ? {} : { followedByMe }),
  };
}
