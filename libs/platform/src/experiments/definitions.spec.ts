import { catalogProblems, parseDefinitions } from './definitions.js';

const valid = {
  name: 'search-ranking',
  enabled: true,
  variants: [
    { key: 'control', weight: 0.5 },
    { key: 'treatment', weight: 0.5 },
  ],
  coverage: 0.5,
};
const parse = (experiment: Record<string, unknown>) => parseDefinitions(JSON.stringify({ experiments: [experiment] }));
const problems = (experiment: Record<string, unknown>) => {
  const result = parse(experiment);
  return result.ok ? [] : result.problems;
};

describe('parseDefinitions', () => {
  it('accepts a complete definition and reads its dates', () => {
    const result = parse({ ...valid, targeting: { loggedIn: true }, startAt: '2026-12-01T00:00:00Z', stopAt: null, seed: 's1', description: 'x' });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.definitions.experiments[0].startAt).toEqual(new Date('2026-12-01T00:00:00Z'));
  });

  it.each([
    ['weights that do not add up to 1', { ...valid, variants: [{ key: 'control', weight: 0.5 }, { key: 'treatment', weight: 0.6 }] }, /add up to 1/],
    ['one variant', { ...valid, variants: [{ key: 'control', weight: 1 }] }, /variants/],
    ['twice the same variant', { ...valid, variants: [{ key: 'control', weight: 0.5 }, { key: 'control', weight: 0.5 }] }, /unique/],
    ['coverage above 1', { ...valid, coverage: 1.5 }, /coverage/],
    ['no kill switch', { ...valid, enabled: undefined }, /enabled/],
    ['an unknown field (a typo)', { ...valid, coverag: 1 }, /coverag/],
    ['a bad name', { ...valid, name: 'Search Ranking' }, /name/],
    ['stopAt before startAt', { ...valid, startAt: '2026-12-02T00:00:00Z', stopAt: '2026-12-01T00:00:00Z' }, /stopAt/],
    ['a date without offset', { ...valid, startAt: '2026-12-02 00:00' }, /startAt/],
  ])('rejects %s', (_what, experiment, problem) => {
    expect(problems(experiment).join('\n')).toMatch(problem);
  });

  it('rejects text that is not JSON and two experiments of one name', () => {
    expect(parseDefinitions('experiments: []').ok).toBe(false);
    const twice = parseDefinitions(JSON.stringify({ experiments: [valid, valid] }));
    expect(twice.ok ? [] : twice.problems).toEqual([expect.stringMatching(/unique/)]);
  });
});

describe('catalogProblems', () => {
  const catalog = { 'search-ranking': ['control', 'treatment'] };
  const definitions = (experiment: Record<string, unknown>) => {
    const result = parse(experiment);
    if (!result.ok) throw new Error(result.problems.join());
    return result.definitions;
  };

  it('accepts the variants the code runs, in its order', () => {
    expect(catalogProblems(definitions(valid), catalog)).toEqual([]);
  });

  it('names experiments the code does not run and variants it does not know', () => {
    expect(catalogProblems(definitions({ ...valid, name: 'search-rankng' }), catalog)).toEqual([expect.stringMatching(/search-rankng: no such experiment/)]);
    const swapped = { ...valid, variants: [valid.variants[1], valid.variants[0]] };
    expect(catalogProblems(definitions(swapped), catalog)).toEqual([expect.stringMatching(/must be control, treatment/)]);
  });
});
