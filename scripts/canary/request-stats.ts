/**
 * The request figures of one or more processes, read from their /metrics
 * (the Prometheus text format of prom-client): requests, 5xx answers and
 * the latency histogram, summed over routes. Probes (/health/*) are left
 * out: they are the balancers' checks, not traffic.
 */
export interface RequestStats {
  requests: number;
  errors: number;
  /** Cumulative histogram: upper bound in seconds (Infinity for +Inf) → requests at or below it. */
  buckets: Map<number, number>;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of a text exposition (comments and blank lines skipped). */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line.trim());
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL)) labels[key] = raw.replace(/\\(.)/g, (_all, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: match[1], labels, value: parseValue(match[3]) });
  }
  return samples;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

const isProbe = (route: string | undefined) => route !== undefined && route.startsWith('/health/');

export const emptyStats = (): RequestStats => ({ requests: 0, errors: 0, buckets: new Map() });

/** The request figures of one process's /metrics text. */
export function requestStats(metricsText: string): RequestStats {
  const stats = emptyStats();
  for (const { name, labels, value } of parseSamples(metricsText)) {
    if (isProbe(labels.route)) continue;
    if (name === 'http_requests_total') {
      stats.requests += value;
      if (labels.status?.startsWith('5')) stats.errors += value;
    } else if (name === 'http_request_duration_seconds_bucket') {
      const bound = parseValue(labels.le);
      stats.buckets.set(bound, (stats.buckets.get(bound) ?? 0) + value);
    }
  }
  return stats;
}

/** a + b, or a − b with sign −1 (what happened between two scrapes). */
export function combine(a: RequestStats, b: RequestStats, sign: 1 | -1 = 1): RequestStats {
  const buckets = new Map(a.buckets);
  for (const [bound, count] of b.buckets) buckets.set(bound, (buckets.get(bound) ?? 0) + sign * count);
  return { requests: a.requests + sign * b.requests, errors: a.errors + sign * b.errors, buckets };
}

export const errorRate = (stats: RequestStats) => (stats.requests === 0 ? 0 : stats.errors / stats.requests);

/**
 * The q-quantile of the latency in seconds, as Prometheus's
 * histogram_quantile computes it: linear within the bucket that holds the
 * rank, the highest finite bound when the rank falls into +Inf. Undefined
 * without observations.
 */
export function latencyQuantile(stats: RequestStats, q: number): number | undefined {
  const bounds = [...stats.buckets.keys()].sort((x, y) => x - y);
  const total = stats.buckets.get(Infinity) ?? 0;
  if (total <= 0 || bounds.length === 0) return undefined;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bound of bounds) {
    const count = stats.buckets.get(bound)!;
    if (count >= rank) {
      if (bound === Infinity) return lowerBound;
      return count === lowerCount ? bound : lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / (count - lowerCount);
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}
