import { ExposureTally } from './exposures.js';

const exposure = (variant: string, who: { userId?: string; anonymousId?: string }, exposedAt = '2026-12-04T12:00:00.000Z', experiment = 'search-ranking') => ({
  experiment,
  variant,
  userId: who.userId ?? null,
  anonymousId: who.anonymousId ?? null,
  day: exposedAt.slice(0, 10),
  exposedAt,
});

describe('ExposureTally', () => {
  it('counts each user once per variant, however many days they were exposed', () => {
    const tally = new ExposureTally('search-ranking');
    tally.add(exposure('control', { userId: '1' }, '2026-12-04T12:00:00.000Z'));
    tally.add(exposure('control', { userId: '1' }, '2026-12-05T08:00:00.000Z'));
    tally.add(exposure('control', { userId: '2' }));
    tally.add(exposure('treatment', { userId: '3' }));
    expect(tally.usersByVariant()).toEqual(
      new Map([
        ['control', new Set(['1', '2'])],
        ['treatment', new Set(['3'])],
      ]),
    );
    expect(tally.empty).toBe(false);
  });

  it('leaves out users exposed to two variants and counts them', () => {
    const tally = new ExposureTally('search-ranking');
    tally.add(exposure('control', { userId: '1' }));
    tally.add(exposure('treatment', { userId: '1' }));
    tally.add(exposure('treatment', { userId: '2' }));
    expect(tally.usersByVariant()).toEqual(new Map([['treatment', new Set(['2'])]]));
    expect(tally.usersInSeveralVariants).toBe(1);
  });

  it('counts anonymous subjects apart from the users', () => {
    const tally = new ExposureTally('search-ranking');
    tally.add(exposure('control', { anonymousId: 'a'.repeat(32) }));
    tally.add(exposure('control', { anonymousId: 'a'.repeat(32) }, '2026-12-05T08:00:00.000Z'));
    tally.add(exposure('treatment', { anonymousId: 'b'.repeat(32) }));
    expect(tally.anonymousSubjects).toBe(2);
    expect(tally.usersByVariant().size).toBe(0);
    expect(tally.empty).toBe(false);
  });

  it('ignores other experiments and exposures before `since`', () => {
    const tally = new ExposureTally('search-ranking', new Date('2026-12-04T12:00:00.000Z'));
    tally.add(exposure('control', { userId: '1' }, '2026-12-04T11:59:59.999Z'));
    tally.add(exposure('control', { userId: '2' }, '2026-12-04T12:00:00.000Z', 'other-experiment'));
    expect(tally.empty).toBe(true);
    tally.add(exposure('control', { userId: '3' }, '2026-12-04T12:00:00.000Z'));
    expect(tally.usersByVariant()).toEqual(new Map([['control', new Set(['3'])]]));
  });
});
