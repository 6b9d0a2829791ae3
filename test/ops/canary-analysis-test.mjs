// Tests the canary analysis of the Rollouts (scripts/ops-validate-k8s.sh):
//   node test/ops/canary-analysis-test.mjs RENDERING.yaml OUT_DIR
// Takes the AnalysisTemplate warble-canary from a rendering, fills in its
// arguments as a Rollout does, and runs its Prometheus queries with
// `promtool test rules` against made-up series of a healthy canary, one that
// answers 10 % 5xx, a slow one, one without traffic and one with a trickle.
// promtool checks each query's value; the template's own success and failure
// conditions are then applied to those values the way Argo Rollouts does
// (both false, as for NaN: inconclusive), and each verdict must be the
// expected one. Prints one line; exit 1 on any difference.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments, stringify } from 'yaml';

const [input, outDir] = process.argv.slice(2);
if (!input || !outDir) { console.error('usage: canary-analysis-test.mjs RENDERING.yaml OUT_DIR'); process.exit(2); }
const template = parseAllDocuments(readFileSync(input, 'utf8')).map((d) => d.toJS()).find((o) => o?.kind === 'AnalysisTemplate' && o.metadata.name === 'warble-canary');
if (!template) { console.error(`no AnalysisTemplate warble-canary in ${input}`); process.exit(1); }

const args = { namespace: 'warble', service: 'users' };
const metric = (name) => {
  const m = template.spec.metrics.find((x) => x.name === name);
  if (!m) throw new Error(`the template has no metric ${name}`);
  const query = m.provider.prometheus.query.replace(/\{\{args\.([a-z-]+)\}\}/g, (_, arg) => {
    if (!(arg in args)) throw new Error(`metric ${name}: argument ${arg} is not filled in here`);
    return args[arg];
  }).trim();
  return { ...m, query };
};

// Series of one pod track; rates are exact because the counters grow linearly.
const STEP = 15; // seconds between samples
const base = (track) => `namespace="warble",service="users",warble_io_track="${track}",method="GET"`;
const counter = (name, labels, perStep, steps = 40) => ({ series: `${name}{${labels}}`, values: `0+${perStep}x${steps}` });
const requests = (track, status, perStep, route = '/users/:id') => counter('http_requests_total', `${base(track)},route="${route}",status="${status}"`, perStep);
// All requests of a track in one latency bucket (lower, upper]: p99 = lower + (upper - lower) * 0.99.
const latency = (track, lower, upper, perStep) => [
  counter('http_request_duration_seconds_bucket', `${base(track)},route="/users/:id",status="200",le="${lower}"`, 0),
  counter('http_request_duration_seconds_bucket', `${base(track)},route="/users/:id",status="200",le="${upper}"`, perStep),
  counter('http_request_duration_seconds_bucket', `${base(track)},route="/users/:id",status="200",le="+Inf"`, perStep),
];
const stable = [requests('stable', '200', 60), ...latency('stable', '0.05', '0.1', 60)];
// Probes are not traffic: a canary failing its readiness probe must not count as 5xx answers.
const probes = requests('canary', '503', 30, '/health/ready');

const FAST = 0.05 + 0.05 * 0.99; // p99 of requests in (50 ms, 100 ms]
const SLOW = 0.5 + 0.5 * 0.99; // p99 of requests in (500 ms, 1 s]
const scenarios = [
  { name: 'a healthy canary', interval: STEP, series: [...stable, probes, requests('canary', '200', 30), ...latency('canary', '0.05', '0.1', 30)],
    expect: { 'error-share': [0, 'Successful'], 'p99-latency': [FAST, 'Successful'], 'p99-vs-stable': [1, 'Successful'] } },
  { name: 'a canary answering 10 % 5xx', interval: STEP, series: [...stable, probes, requests('canary', '200', 27), requests('canary', '500', 3), ...latency('canary', '0.05', '0.1', 30)],
    expect: { 'error-share': [0.1, 'Failed'], 'p99-latency': [FAST, 'Successful'], 'p99-vs-stable': [1, 'Successful'] } },
  { name: 'a slow canary', interval: STEP, series: [...stable, requests('canary', '200', 30), ...latency('canary', '0.5', '1', 30)],
    expect: { 'error-share': [0, 'Successful'], 'p99-latency': [SLOW, 'Failed'], 'p99-vs-stable': [SLOW / FAST, 'Failed'] } },
  { name: 'a canary without traffic', interval: STEP, series: [...stable, probes],
    expect: { 'error-share': [NaN, 'Inconclusive'], 'p99-latency': [NaN, 'Inconclusive'], 'p99-vs-stable': [NaN, 'Inconclusive'] } },
  // One request a minute, one of them an error: too little to judge.
  { name: 'a canary with a trickle of traffic', interval: 60, series: [...stable, requests('canary', '200', 1, undefined), requests('canary', '500', 1)].map((s) => ({ ...s, values: s.values.replace(/x40$/, 'x10') })),
    expect: { 'error-share': [NaN, 'Inconclusive'] } },
];

// Argo Rollouts' verdict on one measurement: failure wins, neither is inconclusive.
function verdict(m, value) {
  const test = (condition) => {
    const c = /^result\[0\]\s*(<=|<|>=|>|==)\s*(-?[0-9.]+)$/.exec(condition?.trim() ?? '');
    if (!c) throw new Error(`metric ${m.name}: condition "${condition}" is not of the form result[0] <op> <number>`);
    const limit = Number(c[2]);
    return { '<=': value <= limit, '<': value < limit, '>=': value >= limit, '>': value > limit, '==': value === limit }[c[1]];
  };
  const success = m.successCondition ? test(m.successCondition) : undefined;
  const failure = m.failureCondition ? test(m.failureCondition) : !success;
  if (failure) return 'Failed';
  return (success ?? !failure) ? 'Successful' : 'Inconclusive';
}

const EVAL_TIME = '5m';
const tests = [];
const problems = [];
for (const s of scenarios) {
  const promql = [];
  for (const [name, [value, phase]] of Object.entries(s.expect)) {
    const m = metric(name);
    // promtool never finds NaN equal to NaN: a NaN result is asserted as the one sample that differs from itself.
    promql.push(Number.isNaN(value)
      ? { expr: `count((${m.query}) != (${m.query}))`, eval_time: EVAL_TIME, exp_samples: [{ labels: '{}', value: 1 }] }
      : { expr: m.query, eval_time: EVAL_TIME, exp_samples: [{ labels: '{}', value }] });
    const got = verdict(m, value);
    if (got !== phase) problems.push(`${s.name}: ${name} = ${value} is ${got} by the template's conditions, expected ${phase}`);
  }
  tests.push({ name: s.name, interval: `${s.interval}s`, input_series: s.series, promql_expr_test: promql });
}
const file = join(outDir, 'canary-analysis.test.yml');
writeFileSync(file, stringify({ rule_files: [], evaluation_interval: '1m', tests }));
const run = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
if (run.error) problems.push(`promtool: ${run.error.message} (apt-get install prometheus)`);
else if (run.status !== 0) problems.push(`promtool test rules ${file}:\n${run.stdout}${run.stderr}`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`the canary analysis judges ${scenarios.map((s) => s.name).join(', ')} as expected (promtool, ${tests.reduce((n, t) => n + t.promql_expr_test.length, 0)} queries)`);
