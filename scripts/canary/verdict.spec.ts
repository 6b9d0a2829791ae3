import { combine, latencyQuantile, requestStats } from './request-stats.js';
import { judge, type Thresholds } from './verdict.js';

/** A /metrics text as prom-client writes it: one route's requests by status, and its latency histogram. */
function metrics(route: string, byStatus: Record<string, number>, buckets: [string, number][]): string {
  const lines = ['# HELP http_requests_total HTTP requests answered', '# TYPE http_requests_total counter'];
  for (const [status, count] of Object.entries(byStatus)) lines.push(`http_requests_total{route="${route}",method="GET",status="${status}",service="posts"} ${count}`);
  lines.push('# TYPE http_request_duration_seconds histogram');
  for (const [le, count] of buckets) lines.push(`http_request_duration_seconds_bucket{le="${le}",route="${route}",method="GET",status="200",service="posts"} ${count}`);
  return `${lines.join('\n')}\n`;
}

const thresholds: Thresholds = { minRequests: 100, maxErrorIncrease: 0.01, quantile: 0.99, maxLatencyRatio: 1.5, latencyGraceSeconds: 0.05 };

describe('request figures from /metrics', () => {
  it('sums requests and 5xx over routes, leaving out the probes', () => {
    const text =
      metrics('/posts/:id', { '200': 90, '404': 5, '500': 5 }, [['0.01', 50], ['0.1', 100], ['+Inf', 100]]) +
      metrics('/health/ready', { '200': 1000, '503': 3 }, [['0.01', 1003], ['+Inf', 1003]]) +
      'http_requests_total{route="/feed",method="GET",status="503",service="posts",track="canary"} 2\n';
    const stats = requestStats(text);
    expect(stats.requests).toBe(102);
    expect(stats.errors).toBe(7);
    expect(stats.buckets.get(Infinity)).toBe(100);
  });

  it('computes a quantile as histogram_quantile does, and the difference of two scrapes', () => {
    const before = requestStats(metrics('/feed', { '200': 100 }, [['0.01', 100], ['0.1', 100], ['+Inf', 100]]));
    const after = requestStats(metrics('/feed', { '200': 300 }, [['0.01', 200], ['0.1', 300], ['+Inf', 300]]));
    const window = combine(after, before, -1);
    expect(window.requests).toBe(200);
    // 200 requests in the window: 100 up to 10 ms, 100 between 10 and 100 ms; p50 is at 10 ms, p99 at 98.2 ms.
    expect(latencyQuantile(window, 0.5)).toBeCloseTo(0.01);
    expect(latencyQuantile(window, 0.99)).toBeCloseTo(0.0982);
    expect(latencyQuantile(requestStats(''), 0.99)).toBeUndefined();
    // A rank in the +Inf bucket gives the highest finite bound.
    expect(latencyQuantile(requestStats(metrics('/feed', { '200': 10 }, [['0.1', 5], ['+Inf', 10]])), 0.99)).toBe(0.1);
  });
});

describe('the verdict', () => {
  const stable = requestStats(metrics('/posts/:id', { '200': 1000, '500': 2 }, [['0.01', 900], ['0.05', 1002], ['+Inf', 1002]]));
  const healthy = requestStats(metrics('/posts/:id', { '200': 150 }, [['0.01', 140], ['0.05', 150], ['+Inf', 150]]));

  it('promotes a canary that answers like the stable replicas', () => {
    expect(judge(healthy, stable, thresholds, true).verdict).toBe('promote');
    expect(judge(healthy, stable, thresholds, false).verdict).toBe('continue');
  });

  it('aborts on 5xx as soon as there are enough requests, naming both shares', () => {
    const failing = requestStats(metrics('/posts/:id', { '200': 130, '500': 20 }, [['0.01', 150], ['+Inf', 150]]));
    const judgement = judge(failing, stable, thresholds, false);
    expect(judgement.verdict).toBe('abort');
    expect(judgement.reasons.join()).toContain('13.33 %');
    expect(judgement.reasons.join()).toContain('0.20 %');
    // Not before the minimum.
    const early = requestStats(metrics('/posts/:id', { '200': 10, '500': 10 }, [['0.01', 20], ['+Inf', 20]]));
    expect(judge(early, stable, thresholds, false).verdict).toBe('continue');
  });

  it('aborts a slow canary at the end, but not for a difference within the grace', () => {
    const slow = requestStats(metrics('/posts/:id', { '200': 150 }, [['0.05', 100], ['0.5', 150], ['+Inf', 150]]));
    expect(judge(slow, stable, thresholds, false).verdict).toBe('continue');
    const judgement = judge(slow, stable, thresholds, true);
    expect(judgement.verdict).toBe('abort');
    expect(judgement.reasons.join()).toMatch(/^p99 \d+ ms against \d+ ms/);
    expect(judge(slow, stable, { ...thresholds, latencyGraceSeconds: 1 }, true).verdict).toBe('promote');
  });

  it('aborts when too little traffic reached the canary for a verdict', () => {
    const quiet = requestStats(metrics('/posts/:id', { '200': 20 }, [['0.01', 20], ['+Inf', 20]]));
    expect(judge(quiet, stable, thresholds, true)).toEqual({ verdict: 'abort', reasons: ['only 20 canary requests, fewer than the 100 a verdict needs'] });
  });
});
