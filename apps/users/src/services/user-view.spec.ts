import { toUserView } from './user-view.js';

const user = { id: '7401234567890123456', username: 'ada_l', email: 'ada@example.com', displayName: 'Ada', bio: '', createdAt: new Date('2026-02-01T10:00:00.000Z') };

describe('toUserView', () => {
  it('shows zero counts for a new account and never the email', () => {
    const view = toUserView(user);
    expect(view).toMatchObject({ followersCount: 0, followingCount: 0, postsCount: 0, createdAt: '2026-02-01T10:00:00.000Z' });
    expect(view).not.toHaveProperty('email');
  });

  it('shows the counts learned from events', () => {
    expect(toUserView(user, { followersCount: 5, followingCount: 2, postsCount: 9 })).toMatchObject({ followersCount: 5, followingCount: 2, postsCount: 9 });
  });
});
