import { jest } from '@jest/globals';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../logging/logger.js';
import { catalogProblems } from './definitions.js';
import { DefinitionsError, DefinitionsFile } from './definitions-file.js';
import { ExperimentEvaluator } from './evaluator.js';

const experiment = (coverage: number, enabled = true) =>
  JSON.stringify({
    experiments: [
      {
        name: 'search-ranking',
        enabled,
        variants: [
          { key: 'control', weight: 0.5 },
          { key: 'treatment', weight: 0.5 },
        ],
        coverage,
      },
    ],
  });

const catalog = { 'search-ranking': ['control', 'treatment'] };
const subjects = Array.from({ length: 1_000 }, (_, i) => ({ id: `user:${i + 1}`, loggedIn: true }));

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wait) => setTimeout(wait, 20));
  }
}

describe('DefinitionsFile', () => {
  let dir: string;
  let path: string;
  let file: DefinitionsFile | undefined;
  const logger = createLogger('experiments-spec', 'silent');
  const errors: unknown[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warble-experiments-'));
    path = join(dir, 'experiments.json');
    errors.length = 0;
    jest.spyOn(logger, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
  });

  afterEach(async () => {
    file?.close();
    file = undefined;
    jest.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  async function open(): Promise<{ evaluator: ExperimentEvaluator; inTreatment: () => number }> {
    const evaluator = new ExperimentEvaluator();
    file = await DefinitionsFile.open(path, { logger, debounceMs: 50, check: (d) => catalogProblems(d, catalog), onApply: (d) => evaluator.use(d) });
    return { evaluator, inTreatment: () => subjects.filter((s) => evaluator.assign('search-ranking', s) === 'treatment').length };
  }

  it('applies a ramp (0 → 50 %) and a stop written to the file, without a restart', async () => {
    await writeFile(path, experiment(0));
    const { inTreatment } = await open();
    expect(inTreatment()).toBe(0);

    await writeFile(path, experiment(1));
    await until(() => inTreatment() > 0, 'the ramp to apply');
    expect(inTreatment()).toBeGreaterThan(400);
    expect(inTreatment()).toBeLessThan(600);

    await writeFile(path, experiment(1, false));
    await until(() => inTreatment() === 0, 'the stop to apply');
  });

  it('sees a file replaced by rename, as editors and Kubernetes ConfigMap updates do', async () => {
    await writeFile(path, experiment(0));
    const { inTreatment } = await open();
    await writeFile(join(dir, 'next.json'), experiment(1));
    await rename(join(dir, 'next.json'), path);
    await until(() => inTreatment() > 0, 'the replaced file to apply');
  });

  it('keeps the previous definitions and logs an error when the changed file is invalid', async () => {
    await writeFile(path, experiment(1));
    const { inTreatment } = await open();
    const before = inTreatment();
    await writeFile(path, '{"experiments": [{"name": "search-ranking", "enabled": true');
    await until(() => errors.length > 0, 'the error for a truncated file');
    expect(inTreatment()).toBe(before);
    // Valid JSON, but variants the code does not run: rejected as well.
    await writeFile(path, experiment(1).replace('"treatment"', '"treatmant"'));
    await until(() => errors.length > 1, 'the error for unknown variants');
    expect(JSON.stringify(errors[1])).toContain('variants must be control, treatment');
    expect(inTreatment()).toBe(before);
    // A good file afterwards applies again.
    await writeFile(path, experiment(0));
    await until(() => inTreatment() === 0, 'the good file to apply');
    expect(file?.current.experiments[0].coverage).toBe(0);
  });

  it('refuses to start from a missing or invalid file, naming the problems', async () => {
    await expect(open()).rejects.toThrow(DefinitionsError);
    await writeFile(path, JSON.stringify({ experiments: [{ name: 'search-ranking', enabled: true, variants: [{ key: 'control', weight: 0.7 }, { key: 'treatment', weight: 0.7 }], coverage: 2 }] }));
    await expect(open()).rejects.toThrow(/weights must add up to 1.*|coverage/);
  });
});
