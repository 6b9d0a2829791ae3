import autocannon, { type Request } from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export interface LoadSpec {
  url: string;
  connections: number;
  durationSec: number;
  /** Requests per second over all connections; unthrottled when absent. */
  rate?: number;
  method?: 'GET' | 'POST';
  /** Picks path, headers and body of each request. */
  next: () => { path: string; headers?: Record<string, string>; body?: string };
}

/** One autocannon run; figures are autocannon's (latency in ms). */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSec,
    overallRate: spec.rate,
    method: spec.method ?? 'GET',
    requests: [
      {
        setupRequest: (request: Request): Request => {
          const next = spec.next();
          const headers = { ...(next.headers ?? {}), ...(next.body ? { 'content-type': 'application/json' } : {}) };
          return { ...request, method: spec.method ?? 'GET', path: next.path, headers, body: next.body };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
