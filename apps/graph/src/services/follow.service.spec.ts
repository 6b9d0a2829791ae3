import { isOwnUsername } from './follow.service.js';

describe('isOwnUsername', () => {
  const caller = { id: '7401234567890123456', username: 'Ada_L' };

  it('matches the caller case-insensitively, as usernames are unique that way', () => {
    expect(isOwnUsername(caller, 'ada_l')).toBe(true);
    expect(isOwnUsername(caller, 'ADA_L')).toBe(true);
  });

  it('does not match anyone else', () => {
    expect(isOwnUsername(caller, 'ada_l2')).toBe(false);
    expect(isOwnUsername(caller, 'ada')).toBe(false);
  });
});
