import { accountThrottleKey, blockSeconds, normaliseLogin } from './login-keys.js';

describe('login throttle keys', () => {
  it('folds letter case and Unicode normalisation forms into one login', () => {
    expect(normaliseLogin('ALICE@Example.COM')).toBe('alice@example.com');
    const composed = 'jos\u00e9';
    const decomposed = 'jose\u0301';
    expect(decomposed).not.toBe(composed);
    expect(normaliseLogin(decomposed)).toBe(normaliseLogin(composed));
    expect(normaliseLogin('JOSE\u0301')).toBe(composed);
  });

  it('charges a known account by its id, whatever login named it', () => {
    expect(accountThrottleKey('Alice', '7001')).toBe('id:7001');
    expect(accountThrottleKey('ALICE@example.com', '7001')).toBe('id:7001');
  });

  it('charges an unknown login by its normalised text, so its variants share one counter', () => {
    expect(accountThrottleKey('Nobody@Example.com', undefined)).toBe('login:nobody@example.com');
    expect(accountThrottleKey('nobody@example.COM', undefined)).toBe(accountThrottleKey('NOBODY@EXAMPLE.com', undefined));
    // An unknown login can never be mistaken for an account id.
    expect(accountThrottleKey('id:7001', undefined)).not.toBe(accountThrottleKey('x', '7001'));
  });
});

describe('block growth', () => {
  it('doubles each further block and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => blockSeconds(n, 900, 86_400))).toEqual([900, 1800, 3600, 7200, 14_400, 28_800, 57_600]);
    expect(blockSeconds(8, 900, 86_400)).toBe(86_400);
    expect(blockSeconds(5000, 900, 86_400)).toBe(86_400);
  });

  it('treats a first (or nonsensical) block number as the first block', () => {
    expect(blockSeconds(1, 60, 600)).toBe(60);
    expect(blockSeconds(0, 60, 600)).toBe(60);
  });
});
