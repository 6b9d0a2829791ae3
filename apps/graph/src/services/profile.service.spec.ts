import { encodeIdCursor } from '@app/api';
import type { FollowListRow, FollowRepository } from '../repositories/follow.repository.js';
import type { ProfileRecord, ProfileRepository } from '../repositories/profile.repository.js';
import { ProfileService } from './profile.service.js';

const profile = (id: string): ProfileRecord => ({
  id,
  username: `user_${id}`,
  displayName: `User ${id}`,
  bio: '',
  createdAt: new Date('2026-02-01T00:00:00.000Z'),
  followersCount: 0,
  followingCount: 0,
  postsCount: 0,
});

/** In-memory stand-ins: the SQL itself is covered by the e2e tests against Postgres. */
function serviceWith(rows: FollowListRow[]) {
  const lookups: string[][] = [];
  const profiles = { findByUsername: (username: string) => Promise.resolve(username === 'owner' ? profile('1') : undefined) };
  const follows = {
    list: (_direction: string, _userId: string, limit: number) => Promise.resolve(rows.slice(0, limit)),
    followedAmong: (_followerId: string, ids: string[]) => {
      lookups.push(ids);
      return Promise.resolve(new Set(ids.filter((id) => id === '20')));
    },
  };
  return { service: new ProfileService(profiles as unknown as ProfileRepository, follows as unknown as FollowRepository), lookups };
}

const rows: FollowListRow[] = [
  { ...profile('30'), followId: '903' },
  { ...profile('20'), followId: '902' },
  { ...profile('10'), followId: '901' },
];

describe('ProfileService.list', () => {
  it('pages on the follow edge id, not the user id', async () => {
    const { service } = serviceWith(rows);
    const page = await service.list('followers', 'owner', { limit: 2 });
    expect(page.items.map((user) => user.id)).toEqual(['30', '20']);
    expect(page.nextCursor).toBe(encodeIdCursor('902'));
  });

  it('asks followedByMe once, for the users shown only, and only for a caller', async () => {
    const { service, lookups } = serviceWith(rows);
    const anonymous = await service.list('followers', 'owner', { limit: 2 });
    expect(anonymous.items[0]).not.toHaveProperty('followedByMe');
    expect(lookups).toEqual([]);

    const personal = await service.list('followers', 'owner', { limit: 2 }, { id: '5', username: 'viewer' });
    expect(personal.items.map((user) => user.followedByMe)).toEqual([false, true]);
    expect(lookups).toEqual([['30', '20']]);
  });

  it('answers 404 for an unknown user', async () => {
    const { service } = serviceWith(rows);
    await expect(service.list('following', 'nobody_here', { limit: 2 })).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });
});
