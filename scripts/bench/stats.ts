export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** Runs `task` over `items` with at most `limit` in flight, reporting progress. */
export async function pool<T>(items: T[], limit: number, task: (item: T, index: number) => Promise<void>, label?: string): Promise<void> {
  let next = 0;
  let done = 0;
  let lastReport = 0;
  const report = () => {
    const percent = Math.floor((done / Math.max(items.length, 1)) * 100);
    if (label && (percent >= lastReport + 10 || done === items.length)) {
      lastReport = percent;
      process.stdout.write(`  ${label}: ${done}/${items.length} (${percent}%)\n`);
    }
  };
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index], index);
      done++;
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
