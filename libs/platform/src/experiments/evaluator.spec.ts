import { parseDefinitions, type ExperimentDefinitions } from './definitions.js';
import { ExperimentEvaluator, type ExperimentSubject } from './evaluator.js';

const USERS = 10_000;
const users: ExperimentSubject[] = Array.from({ length: USERS }, (_, i) => ({ id: `user:${7_400_000_000_000_000_000n + BigInt(i * 7919)}`, loggedIn: true }));

function definitions(overrides: Record<string, unknown> = {}, weights = [0.5, 0.5]): ExperimentDefinitions {
  const parsed = parseDefinitions(
    JSON.stringify({
      experiments: [
        {
          name: 'search-ranking',
          enabled: true,
          variants: [
            { key: 'control', weight: weights[0] },
            { key: 'treatment', weight: weights[1] },
          ],
          coverage: 1,
          ...overrides,
        },
      ],
    }),
  );
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.definitions;
}

function assignAll(evaluator: ExperimentEvaluator, subjects = users): (string | undefined)[] {
  return subjects.map((subject) => evaluator.assign('search-ranking', subject));
}

function share(assignments: (string | undefined)[], variant: string | undefined): number {
  return assignments.filter((a) => a === variant).length / assignments.length;
}

describe('ExperimentEvaluator (GrowthBook, in process)', () => {
  it.each([
    [[0.5, 0.5], 1],
    [[0.2, 0.8], 1],
    [[0.5, 0.5], 0.3],
  ])('splits 10,000 users within 2 points of weights %j at coverage %d', (weights, coverage) => {
    const assigned = assignAll(new ExperimentEvaluator(definitions({ coverage }, weights)));
    expect(Math.abs(share(assigned, 'control') - weights[0] * coverage)).toBeLessThan(0.02);
    expect(Math.abs(share(assigned, 'treatment') - weights[1] * coverage)).toBeLessThan(0.02);
    expect(Math.abs(share(assigned, undefined) - (1 - coverage))).toBeLessThan(0.02);
  });

  it('gives every user the same variant in two independently built evaluators (two replicas) and after a reload', () => {
    const replicaA = new ExperimentEvaluator(definitions());
    const replicaB = new ExperimentEvaluator(parseDefinitionsOrThrow(JSON.stringify(definitions())));
    const first = assignAll(replicaA);
    expect(assignAll(replicaB)).toEqual(first);
    // A reload of the same definitions (or a restart, which builds a new evaluator) changes nobody.
    replicaA.use(definitions());
    expect(assignAll(replicaA)).toEqual(first);
    expect(assignAll(new ExperimentEvaluator(definitions()))).toEqual(first);
  });

  it('assigns as it always did: the same definitions give the same variants across restarts and SDK upgrades', () => {
    // Fixed by GrowthBook's hash version 2 (FNV-1a of seed and id). A change here reshuffles every running experiment.
    const evaluator = new ExperimentEvaluator(definitions());
    const ids = ['user:1', 'user:2', 'user:3', 'user:4', 'user:5', 'user:6', 'user:7', 'user:8', 'anonymous:0123456789abcdef0123456789abcdef'];
    expect(ids.map((id) => evaluator.assign('search-ranking', { id, loggedIn: true }))).toEqual([
      'treatment',
      'control',
      'treatment',
      'treatment',
      'control',
      'control',
      'control',
      'control',
      'treatment',
    ]);
  });

  it('keeps everyone already in when coverage is ramped up (0 → 10 % → 50 %), and takes nobody out', () => {
    const evaluator = new ExperimentEvaluator(definitions({ coverage: 0 }));
    expect(assignAll(evaluator).every((a) => a === undefined)).toBe(true);
    evaluator.use(definitions({ coverage: 0.1 }));
    const at10 = assignAll(evaluator);
    evaluator.use(definitions({ coverage: 0.5 }));
    const at50 = assignAll(evaluator);
    at10.forEach((variant, i) => {
      if (variant !== undefined) expect(at50[i]).toBe(variant);
    });
    expect(Math.abs(share(at50, 'treatment') - 0.25)).toBeLessThan(0.02);
  });

  it('assigns nobody when stopped by the kill switch, before startAt or from stopAt on', () => {
    const now = new Date('2026-12-04T12:00:00Z');
    const user = users[0];
    expect(new ExperimentEvaluator(definitions({ enabled: false })).assign('search-ranking', user, now)).toBeUndefined();
    expect(new ExperimentEvaluator(definitions({ startAt: '2026-12-05T00:00:00Z' })).assign('search-ranking', user, now)).toBeUndefined();
    expect(new ExperimentEvaluator(definitions({ stopAt: '2026-12-04T12:00:00Z' })).assign('search-ranking', user, now)).toBeUndefined();
    expect(new ExperimentEvaluator(definitions({ startAt: '2026-12-04T00:00:00Z', stopAt: '2026-12-05T00:00:00Z' })).assign('search-ranking', user, now)).toBeDefined();
    expect(new ExperimentEvaluator(definitions()).assign('no-such-experiment', user, now)).toBeUndefined();
  });

  it('targets with a GrowthBook condition on the subject attributes', () => {
    const evaluator = new ExperimentEvaluator(definitions({ targeting: { loggedIn: true } }));
    expect(evaluator.assign('search-ranking', { id: 'anonymous:0123', loggedIn: false })).toBeUndefined();
    expect(evaluator.assign('search-ranking', { id: 'user:1', loggedIn: true })).toBeDefined();
  });

  it('reshuffles with a new seed', () => {
    const before = assignAll(new ExperimentEvaluator(definitions()));
    const after = assignAll(new ExperimentEvaluator(definitions({ seed: 'search-ranking-2' })));
    const moved = before.filter((variant, i) => variant !== after[i]).length / USERS;
    expect(moved).toBeGreaterThan(0.4);
  });
});

function parseDefinitionsOrThrow(text: string): ExperimentDefinitions {
  const parsed = parseDefinitions(text);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.definitions;
}
