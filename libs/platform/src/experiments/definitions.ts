import { evalCondition } from '@growthbook/growthbook';
import { z } from 'zod';
import { parseJsonSettings } from '../config/json-settings.js';

/*
 * The experiment definitions file (docs/operations.md, "Experiments"): JSON,
 * one object with an `experiments` array. Parsing is all or nothing: a file
 * with one bad experiment is rejected whole, so that a typo never half-applies.
 */

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const name = z.string().regex(NAME, 'must be 1-63 lower-case letters, digits and dashes, starting with a letter');
const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
/** Attributes a targeting condition may test; the gateway sets exactly these. */
export const SUBJECT_ATTRIBUTES = ['id', 'loggedIn'] as const;

const variant = z.strictObject({
  key: name,
  weight: z.number().min(0).max(1),
});

const experiment = z
  .strictObject({
    name,
    description: z.string().max(500).optional(),
    // The kill switch: false stops the experiment at once (everyone gets the first variant, nothing is exposed).
    enabled: z.boolean(),
    // The first variant is the control: what callers outside the experiment get.
    variants: z.array(variant).min(2).max(8),
    // Share (0..1) of the targeted callers that take part; ramp it up, the others keep their variant.
    coverage: z.number().min(0).max(1),
    // A GrowthBook condition (MongoDB-like) on the subject attributes, e.g. {"loggedIn": true}.
    targeting: z.record(z.string(), z.unknown()).optional(),
    // [startAt, stopAt): outside it the experiment is off, as with enabled=false.
    startAt: instant.nullable().optional(),
    stopAt: instant.nullable().optional(),
    // The hash seed; defaults to the name. A new seed reshuffles everyone (a fresh experiment).
    seed: z.string().min(1).max(100).optional(),
  })
  .superRefine((value, context) => {
    const keys = value.variants.map((v) => v.key);
    if (new Set(keys).size !== keys.length) context.addIssue({ code: 'custom', path: ['variants'], message: 'variant keys must be unique' });
    const total = value.variants.reduce((sum, v) => sum + v.weight, 0);
    if (Math.abs(total - 1) > 1e-6) context.addIssue({ code: 'custom', path: ['variants'], message: `weights must add up to 1, not ${total}` });
    if (value.startAt && value.stopAt && value.stopAt <= value.startAt) context.addIssue({ code: 'custom', path: ['stopAt'], message: 'must be after startAt' });
    if (value.targeting && !conditionWorks(value.targeting)) context.addIssue({ code: 'custom', path: ['targeting'], message: 'is not a condition GrowthBook can evaluate' });
  });

const file = z
  .strictObject({ experiments: z.array(experiment).max(100) })
  .superRefine((value, context) => {
    const names = value.experiments.map((e) => e.name);
    if (new Set(names).size !== names.length) context.addIssue({ code: 'custom', path: ['experiments'], message: 'experiment names must be unique' });
  });

export type ExperimentDefinition = z.infer<typeof experiment>;
export interface ExperimentDefinitions {
  experiments: ExperimentDefinition[];
}

export type DefinitionsParseResult = { ok: true; definitions: ExperimentDefinitions } | { ok: false; problems: string[] };

/** Evaluates the condition once on sample subjects: a malformed operator throws or logs here, not per request. */
function conditionWorks(condition: Record<string, unknown>): boolean {
  try {
    evalCondition({ id: 'probe', loggedIn: true }, condition as Parameters<typeof evalCondition>[1]);
    evalCondition({ id: 'probe', loggedIn: false }, condition as Parameters<typeof evalCondition>[1]);
    return true;
  } catch {
    return false;
  }
}

/** Parses and validates the text of a definitions file. */
export function parseDefinitions(text: string): DefinitionsParseResult {
  const parsed = parseJsonSettings(file, text);
  return parsed.ok ? { ok: true, definitions: parsed.value } : parsed;
}

/** The experiments the code runs: name → variant keys, the control first. */
export type ExperimentCatalog = Readonly<Record<string, readonly string[]>>;

/**
 * Problems of definitions against the catalog: an experiment the code does
 * not run (a typo in the name) or variants other than the ones the code
 * knows would otherwise fail silently.
 */
export function catalogProblems(definitions: ExperimentDefinitions, catalog: ExperimentCatalog): string[] {
  const problems: string[] = [];
  for (const definition of definitions.experiments) {
    const known = catalog[definition.name];
    const keys = definition.variants.map((v) => v.key);
    if (!known) problems.push(`${definition.name}: no such experiment in the code (known: ${Object.keys(catalog).join(', ') || 'none'})`);
    else if (keys.join(',') !== known.join(',')) problems.push(`${definition.name}: variants must be ${known.join(', ')} in this order, not ${keys.join(', ')}`);
  }
  return problems;
}
