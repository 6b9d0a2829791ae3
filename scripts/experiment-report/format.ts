import type { Figures } from './figures.js';
import type { Interval } from './interval.js';

const percent = (value: number | undefined): string => (value === undefined ? 'n/a' : `${(value * 100).toFixed(2)} %`);
const points = (value: number): string => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)}`;
const percentInterval = (interval: Interval | undefined): string => (interval ? `[${percent(interval.lower)}, ${percent(interval.upper)}]` : 'n/a');

/** The figures as a plain-text table, then one line per difference from the baseline. */
export function formatFigures(figures: Figures): string {
  const level = `${Math.round(figures.level * 100)} %`;
  const header = ['variant', 'exposed users', 'with outcome', 'rate', `${level} CI of the rate (Wilson)`];
  const rows = figures.variants.map((row) => [row.variant, String(row.exposedUsers), String(row.usersWithOutcome), percent(row.rate), percentInterval(row.rateInterval)]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  // The variant and the interval read left to right; the figures line up on the right.
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 || column === cells.length - 1 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  const lines = [line(header), ...rows.map(line)];
  for (const difference of figures.differences) {
    const what = `${difference.variant} - ${difference.baseline}`;
    lines.push(
      difference.difference === undefined || !difference.interval
        ? `${what}: n/a (a variant without exposed users)`
        : `${what}: ${points(difference.difference)} points, ${level} CI [${points(difference.interval.lower)}, ${points(difference.interval.upper)}] points (Newcombe hybrid score)`,
    );
  }
  return `${lines.join('\n')}\n`;
}
