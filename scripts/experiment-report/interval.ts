import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** A two-sided confidence interval. */
export interface Interval {
  lower: number;
  upper: number;
}

/** The standard normal quantile for a two-sided interval of this confidence level (1.96 for 0.95). */
function zFor(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be between 0 and 1, not ${level}`);
  return normalQuantile(1 - (1 - level) / 2, 0, 1);
}

/**
 * Wilson score interval of a proportion `successes / trials` (Wilson 1927):
 * unlike the Wald interval it stays inside [0, 1] and keeps its coverage for
 * small counts and rates near 0, which is what outcome rates look like.
 * Undefined without trials.
 */
export function wilsonInterval(successes: number, trials: number, level = 0.95): Interval | undefined {
  checkCounts(successes, trials);
  if (trials === 0) return undefined;
  const z = zFor(level);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/**
 * Interval of the difference of two independent proportions, `a/n − b/m`,
 * by Newcombe's hybrid score method (Newcombe 1998, method 10): it combines
 * the two Wilson intervals, so it inherits their behaviour at small counts
 * and rates near 0, where the Wald interval is too narrow (and can even
 * leave [−1, 1]). Undefined when either side has no trials.
 */
export function newcombeDifference(a: number, n: number, b: number, m: number, level = 0.95): Interval | undefined {
  const first = wilsonInterval(a, n, level);
  const second = wilsonInterval(b, m, level);
  if (!first || !second) return undefined;
  const p1 = a / n;
  const p2 = b / m;
  const difference = p1 - p2;
  return {
    lower: difference - Math.hypot(p1 - first.lower, second.upper - p2),
    upper: difference + Math.hypot(first.upper - p1, p2 - second.lower),
  };
}

function checkCounts(successes: number, trials: number): void {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || successes > trials) {
    throw new RangeError(`successes and trials must be whole numbers with 0 ≤ successes ≤ trials, not ${successes} of ${trials}`);
  }
}
