import { USERNAME_PATTERN } from '@app/api';
import { DomainError, type ReadPreference } from '@app/platform';
import type { ProfileRecord, ProfileRepository } from '../repositories/profile.repository.js';

export const userNotFound = () => new DomainError('USER_NOT_FOUND', 'No such user.');

/** The profile of `username`, or 404. A string that cannot be a username costs no query. */
export async function requireProfile(profiles: ProfileRepository, username: string, preference: ReadPreference = 'primary'): Promise<ProfileRecord> {
  const profile = USERNAME_PATTERN.test(username) ? await profiles.findByUsername(username, preference) : undefined;
  if (!profile) throw userNotFound();
  return profile;
}
