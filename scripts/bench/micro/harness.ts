import { fmt, median } from '../stats.js';

/** One implementation under test: runs `ops` operations and returns something derived from them (kept, so nothing is optimised away). */
export type Run = (ops: number) => unknown;

export interface MicroCase {
  name: string;
  /** Which issue's change this is: the restructuring (#13) or the edge hardening (#12). */
  issue: '#13' | '#12';
  /** Operations per timed run; chosen so that one run takes a few milliseconds. */
  ops: number;
  /** The 1511baf version; absent where the old code did nothing at all (an added check). */
  old?: Run;
  current: Run;
}

export interface CaseResult {
  name: string;
  issue: string;
  /** CPU ns per operation of each round. */
  old: number[];
  current: number[];
}

/** Module state the results flow into, so that the optimiser cannot drop the work that made them. */
let sink = 0;
/** Keeps a result alive. */
export function keep(value: unknown): void {
  if (value !== undefined && value !== null) sink = (sink + 1) | 0;
}

/**
 * CPU time (user + system, all of the process's threads, so GC helpers count)
 * per operation, in ns: on a machine shared with other work, wall time also
 * counts the time the process waited for a core; CPU time is what the twin
 * A/B compared too.
 */
async function timed(run: Run, ops: number): Promise<number> {
  const start = process.cpuUsage();
  const result = run(ops);
  // Async sides are timed until their last operation has settled.
  keep(result instanceof Promise ? await result : result);
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1_000) / ops;
}

/**
 * Rounds of every case, old and current interleaved in alternating order
 * (old first in even rounds, current first in odd ones), so that a noisy
 * stretch of the shared machine falls on both; warm-up rounds are discarded.
 */
export async function measure(cases: MicroCase[], rounds: number, warmup: number, progress: (round: number) => void): Promise<CaseResult[]> {
  const results = cases.map((each): CaseResult => ({ name: each.name, issue: each.issue, old: [], current: [] }));
  for (let round = 0; round < warmup + rounds; round++) {
    for (const [index, each] of cases.entries()) {
      const sides: ['old' | 'current', Run][] = each.old ? [['old', each.old], ['current', each.current]] : [['current', each.current]];
      if (round % 2 === 1) sides.reverse();
      for (const [label, run] of sides) {
        const ns = await timed(run, each.ops);
        if (round >= warmup) results[index][label].push(ns);
      }
    }
    progress(round);
  }
  return results;
}

export interface Summary {
  name: string;
  issue: string;
  oldMedian: number | undefined;
  currentMedian: number;
  /** Current minus old (or the current cost, where the old code did nothing), ns per operation. */
  delta: number;
}

const range = (values: number[]) => `${fmt(Math.min(...values), 1)}-${fmt(Math.max(...values), 1)}`;

/** The table of a run: ns per op (median, min-max of the rounds), ratio of the medians, median of the per-round ratios. */
export function report(results: CaseResult[]): Summary[] {
  const lines = ['| case | issue | old: CPU ns/op, median (min-max) | current: CPU ns/op, median (min-max) | current/old (medians) | median of round ratios |', '|---|---|---|---|---|---|'];
  const summaries: Summary[] = [];
  for (const result of results) {
    const current = median(result.current);
    if (result.old.length === 0) {
      lines.push(`| ${result.name} | ${result.issue} | (none: added) | ${fmt(current, 1)} (${range(result.current)}) | - | - |`);
      summaries.push({ name: result.name, issue: result.issue, oldMedian: undefined, currentMedian: current, delta: current });
      continue;
    }
    const old = median(result.old);
    const roundRatios = result.current.map((ns, round) => ns / result.old[round]);
    lines.push(
      `| ${result.name} | ${result.issue} | ${fmt(old, 1)} (${range(result.old)}) | ${fmt(current, 1)} (${range(result.current)}) | ${fmt(current / old, 2)} | ${fmt(median(roundRatios), 2)} |`,
    );
    summaries.push({ name: result.name, issue: result.issue, oldMedian: old, currentMedian: current, delta: current - old });
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return summaries;
}
