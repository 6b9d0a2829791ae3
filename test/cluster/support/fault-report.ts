import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { RequestTally } from './mixed-load.js';
import type { CheckResult } from './write-checker.js';

/** Where `make test-cluster` finds the per-fault figures to print after the run. */
export const FAULT_REPORT = resolve(process.cwd(), '.run/test-results-cluster/faults.log');

/** One line per fault: the share of failed requests and the acknowledged writes checked and lost. */
export function reportFault(fault: string, tally: RequestTally, check: CheckResult): string {
  const line =
    `fault "${fault}": ${tally.failed} of ${tally.total} requests failed (${(100 * tally.failedShare).toFixed(2)} %), ` +
    `${check.checked} acknowledged writes checked, ${check.lost} lost, ${check.duplicated} applied twice; failures: ${tally.describeFailures()}`;
  mkdirSync(dirname(FAULT_REPORT), { recursive: true });
  appendFileSync(FAULT_REPORT, `${line}\n`);
  process.stdout.write(`${line}\n`);
  if (check.problems.length > 0) process.stdout.write(`  still wrong at the deadline:\n${check.problems.slice(0, 20).map((p) => `    ${p}`).join('\n')}\n`);
  return line;
}
