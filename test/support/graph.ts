import type { Account } from './accounts.js';
import { api, type ApiResponse } from './api.js';
import { eventually } from './eventually.js';

export interface UserBody {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  createdAt: string;
  followersCount: number;
  followingCount: number;
  postsCount: number;
  followedByMe?: boolean;
}


/** GET /users/{username} through the gateway (graph answers it: it owns public profiles). */
export function graphProfile(username: string, token?: string): Promise<ApiResponse<UserBody>> {
  return api<UserBody>('GET', `/api/v1/users/${username}`, { token });
}

/**
 * Graph learns of a new account from user.registered: until then the account
 * cannot be followed (404). Waits until graph knows every given account.
 */
export async function whenGraphKnows(...accounts: Account[]): Promise<void> {
  await Promise.all(
    accounts.map((account) =>
      eventually(async () => ((await graphProfile(account.username)).status === 200 ? true : undefined), { what: `${account.username} known to graph` }),
    ),
  );
}
