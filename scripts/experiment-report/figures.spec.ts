import { baselineOf, computeFigures } from './figures.js';
import { formatFigures } from './format.js';

// Intervals from statsmodels 0.13.5 (see interval.spec.ts): 2/3 and 1/3 by Wilson,
// and confint_proportions_2indep(2, 3, 1, 3, method='newcomb', compare='diff').
const exposed = new Map([
  ['control', new Set(['1', '2', '3'])],
  ['treatment', new Set(['4', '5', '6'])],
]);

describe('computeFigures', () => {
  it('gives each variant its users, those with the outcome, the rate and the difference from control with its interval', () => {
    // '9' had the outcome but was not exposed: it counts nowhere.
    const figures = computeFigures(['control', 'treatment'], exposed, new Set(['2', '4', '6', '9']));
    expect(figures.variants.map(({ variant, exposedUsers, usersWithOutcome, rate }) => ({ variant, exposedUsers, usersWithOutcome, rate }))).toEqual([
      { variant: 'control', exposedUsers: 3, usersWithOutcome: 1, rate: 1 / 3 },
      { variant: 'treatment', exposedUsers: 3, usersWithOutcome: 2, rate: 2 / 3 },
    ]);
    expect(figures.variants[0].rateInterval?.lower).toBeCloseTo(0.0614919447, 8);
    expect(figures.variants[1].rateInterval?.upper).toBeCloseTo(0.9385080553, 8);
    expect(figures.differences).toHaveLength(1);
    const [difference] = figures.differences;
    expect(difference).toMatchObject({ variant: 'treatment', baseline: 'control' });
    expect(difference.difference).toBeCloseTo(1 / 3, 12);
    expect(difference.interval?.lower).toBeCloseTo(-0.3158006844, 8);
    expect(difference.interval?.upper).toBeCloseTo(0.7177751119, 8);
  });

  it('has no rate or difference for a variant nobody was exposed to', () => {
    const figures = computeFigures(['control', 'treatment'], new Map([['control', new Set(['1'])]]), new Set(['1']));
    expect(figures.variants[1]).toEqual({ variant: 'treatment', exposedUsers: 0, usersWithOutcome: 0, rate: undefined, rateInterval: undefined });
    expect(figures.differences[0]).toEqual({ variant: 'treatment', baseline: 'control', difference: undefined, interval: undefined });
  });

  it('compares with control, or with the first variant when there is no control', () => {
    expect(baselineOf(['treatment', 'control'])).toBe('control');
    expect(baselineOf(['a', 'b'])).toBe('a');
  });
});

describe('formatFigures', () => {
  it('prints a row per variant and the difference in points', () => {
    const text = formatFigures(computeFigures(['control', 'treatment'], exposed, new Set(['2', '4', '6'])));
    expect(text.split('\n')).toEqual([
      'variant    exposed users  with outcome     rate  95 % CI of the rate (Wilson)',
      'control                3             1  33.33 %  [6.15 %, 79.23 %]',
      'treatment              3             2  66.67 %  [20.77 %, 93.85 %]',
      'treatment - control: +33.33 points, 95 % CI [-31.58, +71.78] points (Newcombe hybrid score)',
      '',
    ]);
  });

  it('says n/a where a variant had no users', () => {
    const text = formatFigures(computeFigures(['control', 'treatment'], new Map([['control', new Set(['1'])]]), new Set()));
    expect(text).toMatch(/^treatment +0 +0 +n\/a +n\/a$/m);
    expect(text).toContain('treatment - control: n/a (a variant without exposed users)');
  });
});
