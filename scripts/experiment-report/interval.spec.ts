import { newcombeDifference, wilsonInterval } from './interval.js';

// Expected values from statsmodels 0.13.5 (an independent implementation):
// confint_proportions_2indep(a, n, b, m, method='newcomb', compare='diff') and
// proportion_confint(x, n, method='wilson'). The first six are the examples of
// Newcombe (1998), whose published figures they match to four decimals.
describe('newcombeDifference', () => {
  it.each([
    [56, 70, 48, 80, 0.0524314724, 0.333872654],
    [9, 10, 3, 10, 0.1705227239, 0.8090179735],
    [6, 7, 2, 7, 0.0582279275, 0.8062496375],
    [5, 56, 0, 29, -0.0381371479, 0.1925600139],
    [0, 10, 0, 20, -0.1611251581, 0.2775327999],
    [10, 10, 0, 20, 0.6790860371, 1.0],
    [3, 4, 1, 4, -0.1354884006, 0.7890832681],
  ])('%i/%i − %i/%i: [%f, %f]', (a, n, b, m, lower, upper) => {
    const interval = newcombeDifference(a, n, b, m);
    expect(interval?.lower).toBeCloseTo(lower, 8);
    expect(interval?.upper).toBeCloseTo(upper, 8);
  });

  it('widens with the confidence level', () => {
    const narrow = newcombeDifference(56, 70, 48, 80, 0.9);
    const wide = newcombeDifference(56, 70, 48, 80, 0.99);
    expect(narrow && wide && wide.lower < narrow.lower && wide.upper > narrow.upper).toBe(true);
  });

  it('is undefined when a variant has no users', () => {
    expect(newcombeDifference(1, 3, 0, 0)).toBeUndefined();
    expect(newcombeDifference(0, 0, 1, 3)).toBeUndefined();
  });
});

describe('wilsonInterval', () => {
  it.each([
    [56, 70, 0.691833555, 0.8769526075],
    [5, 56, 0.0387421484, 0.1925600139],
    [0, 10, 0, 0.2775327999],
    [10, 10, 0.7224672001, 1],
  ])('%i/%i: [%f, %f]', (x, n, lower, upper) => {
    const interval = wilsonInterval(x, n);
    expect(interval?.lower).toBeCloseTo(lower, 8);
    expect(interval?.upper).toBeCloseTo(upper, 8);
  });

  it('rejects counts that are not a proportion, and a level outside (0, 1)', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 2, 1)).toThrow(/confidence level/);
  });
});
