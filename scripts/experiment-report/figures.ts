import { type Interval, newcombeDifference, wilsonInterval } from './interval.js';

export interface VariantFigures {
  variant: string;
  exposedUsers: number;
  usersWithOutcome: number;
  /** Undefined without exposed users. */
  rate?: number;
  rateInterval?: Interval;
}

export interface DifferenceFigures {
  variant: string;
  baseline: string;
  /** `variant`'s rate minus the baseline's; undefined when either has no users. */
  difference?: number;
  interval?: Interval;
}

export interface Figures {
  level: number;
  variants: VariantFigures[];
  differences: DifferenceFigures[];
}

/** The variant the others are compared with: `control` when there is one, else the first. */
export function baselineOf(variants: readonly string[]): string {
  return variants.includes('control') ? 'control' : variants[0];
}

/**
 * Per variant: exposed users, users with the outcome (of those exposed to
 * it), the rate with its Wilson interval; per other variant the difference
 * of its rate from the baseline's with Newcombe's interval (interval.ts).
 */
export function computeFigures(variants: readonly string[], exposed: ReadonlyMap<string, ReadonlySet<string>>, withOutcome: ReadonlySet<string>, level = 0.95): Figures {
  const rows = variants.map((variant): VariantFigures => {
    const users = exposed.get(variant) ?? new Set<string>();
    const usersWithOutcome = [...users].filter((userId) => withOutcome.has(userId)).length;
    return {
      variant,
      exposedUsers: users.size,
      usersWithOutcome,
      rate: users.size > 0 ? usersWithOutcome / users.size : undefined,
      rateInterval: wilsonInterval(usersWithOutcome, users.size, level),
    };
  });
  const baseline = rows.find((row) => row.variant === baselineOf(variants));
  const differences = rows
    .filter((row) => baseline && row !== baseline)
    .map((row): DifferenceFigures => {
      const base = baseline as VariantFigures;
      return {
        variant: row.variant,
        baseline: base.variant,
        difference: row.rate !== undefined && base.rate !== undefined ? row.rate - base.rate : undefined,
        interval: newcombeDifference(row.usersWithOutcome, row.exposedUsers, base.usersWithOutcome, base.exposedUsers, level),
      };
    });
  return { level, variants: rows, differences };
}
