import { type Experiment, GrowthBookClient } from '@growthbook/growthbook';
import type { ExperimentDefinition, ExperimentDefinitions } from './definitions.js';

/** Who is assigned: a signed-in user's id, or the hashed id of an anonymous caller (subject.ts). */
export interface ExperimentSubject {
  id: string;
  loggedIn: boolean;
}

interface Compiled {
  definition: ExperimentDefinition;
  experiment: Experiment<string>;
}

/**
 * Assigns subjects to variants with GrowthBook's SDK, in process, from the
 * definitions file (no GrowthBook server). GrowthBook hashes the seed and the
 * subject id (FNV-1a, hash version 2) into a bucket, so every replica and
 * every restart gives a subject the same variant for the same definitions,
 * and raising `coverage` only adds subjects: nobody changes sides.
 */
export class ExperimentEvaluator {
  private readonly client = new GrowthBookClient({ enabled: true });
  private compiled = new Map<string, Compiled>();

  constructor(definitions: ExperimentDefinitions = { experiments: [] }) {
    this.use(definitions);
  }

  /** Swaps in new definitions (a reload): assignments made afterwards follow them. */
  use(definitions: ExperimentDefinitions): void {
    const compiled = new Map<string, Compiled>();
    for (const definition of definitions.experiments) compiled.set(definition.name, { definition, experiment: toGrowthBook(definition) });
    this.compiled = compiled;
  }

  definition(name: string): ExperimentDefinition | undefined {
    return this.compiled.get(name)?.definition;
  }

  /** The subject's variant key, or undefined when it is not in the experiment (undefined, stopped, outside its dates, not targeted or not covered). */
  assign(name: string, subject: ExperimentSubject, now: Date = new Date()): string | undefined {
    const entry = this.compiled.get(name);
    if (!entry || !isRunning(entry.definition, now)) return undefined;
    const result = this.client.runInlineExperiment(entry.experiment, { attributes: { id: subject.id, loggedIn: subject.loggedIn } });
    return result.inExperiment ? result.value : undefined;
  }
}

function isRunning(definition: ExperimentDefinition, now: Date): boolean {
  if (!definition.enabled) return false;
  if (definition.startAt && now < definition.startAt) return false;
  if (definition.stopAt && now >= definition.stopAt) return false;
  return true;
}

function toGrowthBook(definition: ExperimentDefinition): Experiment<string> {
  const keys = definition.variants.map((variant) => variant.key);
  return {
    key: definition.name,
    variations: keys as [string, string, ...string[]],
    weights: definition.variants.map((variant) => variant.weight),
    coverage: definition.coverage,
    seed: definition.seed ?? definition.name,
    hashAttribute: 'id',
    hashVersion: 2,
    ...(definition.targeting ? { condition: definition.targeting as Experiment<string>['condition'] } : {}),
  };
}
