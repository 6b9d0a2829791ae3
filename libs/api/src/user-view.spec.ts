import { NO_COUNTS, toUserView } from './user-view.js';

const profile = {
  id: '7401234567890123456',
  username: 'ada_l',
  displayName: 'Ada',
  bio: 'engines',
  createdAt: new Date('2026-02-01T10:00:00.000Z'),
  followersCount: 3,
  followingCount: 2,
  postsCount: 1,
};

describe('toUserView', () => {
  it('maps a profile to the public User object with its counts', () => {
    expect(toUserView(profile)).toEqual({
      id: '7401234567890123456',
      username: 'ada_l',
      displayName: 'Ada',
      bio: 'engines',
      createdAt: '2026-02-01T10:00:00.000Z',
      followersCount: 3,
      followingCount: 2,
      postsCount: 1,
    });
  });

  it('has followedByMe only when a caller was known', () => {
    expect(toUserView(profile)).not.toHaveProperty('followedByMe');
    expect(toUserView(profile, true).followedByMe).toBe(true);
    expect(toUserView(profile, false).followedByMe).toBe(false);
  });

  it('never copies fields beyond the public object (an account row has the email)', () => {
    const account = { ...profile, ...NO_COUNTS, email: 'ada@example.com' };
    const view = toUserView(account);
    expect(view).toMatchObject({ followersCount: 0, followingCount: 0, postsCount: 0 });
    expect(view).not.toHaveProperty('email');
  });
});
