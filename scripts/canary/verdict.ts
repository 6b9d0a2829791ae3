import { errorRate, latencyQuantile, type RequestStats } from './request-stats.js';

/** What a canary must do as well as the stable replicas (docs/operations.md, "A canary on this machine"). */
export interface Thresholds {
  /** No verdict on fewer canary requests than this. */
  minRequests: number;
  /** The canary's 5xx share may exceed the stable one by this many points (a fraction: 0.01 is one point). */
  maxErrorIncrease: number;
  /** The latency compared: 0.99 for p99. */
  quantile: number;
  /** The canary's latency may be this many times the stable one... */
  maxLatencyRatio: number;
  /** ...and differences below this many seconds never count (one histogram bucket on a quiet machine). */
  latencyGraceSeconds: number;
}

export type Verdict = 'promote' | 'abort' | 'continue';

export interface Judgement {
  verdict: Verdict;
  reasons: string[];
}

const percent = (fraction: number) => `${(100 * fraction).toFixed(2)} %`;
const ms = (seconds: number) => `${Math.round(seconds * 1000)} ms`;

/**
 * Compares what the canary and the stable replicas answered over the same
 * window. Errors abort as soon as there are enough requests to judge
 * (`final` or not); latency and too little traffic only at the end.
 */
export function judge(canary: RequestStats, stable: RequestStats, thresholds: Thresholds, final: boolean): Judgement {
  if (canary.requests < thresholds.minRequests) {
    return final
      ? { verdict: 'abort', reasons: [`only ${canary.requests} canary requests, fewer than the ${thresholds.minRequests} a verdict needs`] }
      : { verdict: 'continue', reasons: [] };
  }
  const reasons: string[] = [];
  const canaryErrors = errorRate(canary);
  const stableErrors = errorRate(stable);
  if (canaryErrors > stableErrors + thresholds.maxErrorIncrease) {
    reasons.push(`5xx share ${percent(canaryErrors)} against ${percent(stableErrors)} on the stable replicas (at most ${(100 * thresholds.maxErrorIncrease).toFixed(2)} points more)`);
  }
  const canaryLatency = latencyQuantile(canary, thresholds.quantile);
  const stableLatency = latencyQuantile(stable, thresholds.quantile);
  const p = `p${Math.round(thresholds.quantile * 100)}`;
  if (
    final &&
    canaryLatency !== undefined &&
    stableLatency !== undefined &&
    canaryLatency > stableLatency * thresholds.maxLatencyRatio &&
    canaryLatency - stableLatency > thresholds.latencyGraceSeconds
  ) {
    reasons.push(`${p} ${ms(canaryLatency)} against ${ms(stableLatency)} on the stable replicas (at most ${thresholds.maxLatencyRatio}x, or ${ms(thresholds.latencyGraceSeconds)} more)`);
  }
  if (reasons.length > 0) return { verdict: 'abort', reasons };
  return final ? { verdict: 'promote', reasons: [`5xx share ${percent(canaryErrors)} (stable ${percent(stableErrors)}), ${p} ${canaryLatency === undefined ? '-' : ms(canaryLatency)} (stable ${stableLatency === undefined ? '-' : ms(stableLatency)})`] } : { verdict: 'continue', reasons: [] };
}

/** One line per side: requests, 5xx, 5xx share, the latency quantile. */
export function comparisonTable(canary: RequestStats, stable: RequestStats, quantile: number): string {
  const p = `p${Math.round(quantile * 100)}`;
  const row = (name: string, stats: RequestStats) => {
    const latency = latencyQuantile(stats, quantile);
    return `  ${name.padEnd(8)} ${String(stats.requests).padStart(9)} ${String(stats.errors).padStart(7)} ${percent(errorRate(stats)).padStart(10)} ${(latency === undefined ? '-' : ms(latency)).padStart(9)}`;
  };
  return [`  ${''.padEnd(8)} ${'requests'.padStart(9)} ${'5xx'.padStart(7)} ${'5xx share'.padStart(10)} ${p.padStart(9)}`, row('stable', stable), row('canary', canary)].join('\n');
}
