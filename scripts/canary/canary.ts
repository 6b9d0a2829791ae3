/**
 * `make canary APP=<app>` (docs/operations.md, "A canary on this machine"):
 * starts one process of the current build beside the stable replicas of the
 * cluster topology, sends it SHARE percent of the app's traffic, compares its
 * 5xx share and latency with the stable replicas' from their /metrics for
 * DURATION seconds, then takes it out of the traffic, stops it and prints
 * promote (exit 0) or abort (exit 1). Exit 2: it could not run.
 */
import { combine, emptyStats, type RequestStats, requestStats } from './request-stats.js';
import { haproxyTraffic, type Instance, metricsText, pause, script, type Traffic, upstreamsFileTraffic } from './traffic.js';
import { comparisonTable, judge, type Judgement, type Thresholds } from './verdict.js';

const APPS = ['gateway', 'users', 'posts', 'graph', 'search', 'comments'];

interface Settings {
  app: string;
  share: number;
  durationSeconds: number;
  warmupSeconds: number;
  checkSeconds: number;
  thresholds: Thresholds;
}

function number(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new UsageError(`${name} must be a number from ${min} to ${max}, not '${raw}'`);
  return value;
}

class UsageError extends Error {}

function readSettings(): Settings {
  const app = process.argv[2] ?? process.env.APP ?? '';
  if (!APPS.includes(app)) throw new UsageError(`APP must be one of ${APPS.join(', ')}, not '${app}'`);
  return {
    app,
    share: number('SHARE', 10, 1, 100),
    durationSeconds: number('DURATION', 60, 5, 3_600),
    warmupSeconds: number('WARMUP', 10, 0, 600),
    checkSeconds: number('CHECK_INTERVAL', 5, 1, 60),
    thresholds: {
      minRequests: number('MIN_REQUESTS', 100, 1, 10_000_000),
      maxErrorIncrease: number('MAX_ERROR_INCREASE', 1, 0, 100) / 100,
      quantile: number('LATENCY_QUANTILE', 0.99, 0.5, 0.999),
      maxLatencyRatio: number('MAX_LATENCY_RATIO', 1.5, 1, 100),
      latencyGraceSeconds: number('LATENCY_GRACE_MS', 50, 0, 60_000) / 1000,
    },
  };
}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function instances(names: string[]): Promise<Instance[]> {
  const lines = (await script('apps.sh', ['ports', ...names])).trim().split('\n');
  return lines.map((line) => {
    const [name, port, metricsPort] = line.split(' ');
    return { name, port: Number(port), metricsPort: Number(metricsPort) };
  });
}

async function answersReady(instance: Instance): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${instance.port}/health/ready`, { signal: AbortSignal.timeout(2_000) })).status === 200;
  } catch {
    return false;
  }
}

async function statsOf(group: readonly Instance[]): Promise<RequestStats> {
  const each = await Promise.all(group.map(async (instance) => requestStats(await metricsText(instance))));
  return each.reduce((sum, stats) => combine(sum, stats), emptyStats());
}

async function main(): Promise<number> {
  const settings = readSettings();
  const { app, share } = settings;
  const replicas = Number(process.env.APP_REPLICAS ?? '1');
  if (!(replicas >= 2)) throw new UsageError('a canary runs beside the stable replicas of the cluster topology: start it first (make up-cluster)');
  const canaryReplica = replicas + 1;
  const stableNames = [app, ...Array.from({ length: replicas - 1 }, (_, i) => `${app}@${i + 2}`)];
  const stable = await instances(stableNames);
  const [canary] = await instances([`${app}@${canaryReplica}`]);
  const gateways = await instances(['gateway', ...Array.from({ length: replicas - 1 }, (_, i) => `gateway@${i + 2}`)]);

  for (const instance of stable) {
    if (!(await answersReady(instance))) throw new UsageError(`${instance.name} is not ready on port ${instance.port}: start the cluster topology first (make up-cluster)`);
  }
  if (await answersReady(canary)) throw new UsageError(`a process already answers on ${canary.name}'s port ${canary.port}: is a canary running?`);

  let traffic: Traffic;
  if (app === 'gateway') {
    traffic = haproxyTraffic(share);
  } else {
    const file = process.env.UPSTREAM_CANARIES_FILE;
    if (!file) throw new UsageError('the gateways read no canaries file: set UPSTREAM_CANARIES_FILE (profiles/cluster.env does) and restart them');
    traffic = upstreamsFileTraffic(app, canary, share, gateways, file);
  }

  // Whatever happens from here on (an abort, a failure, Ctrl-C), the canary leaves the traffic and stops.
  let cleaned: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaned ??= (async () => {
      say(`taking ${canary.name} out of the traffic and stopping it`);
      await traffic.off().catch((error: unknown) => say(`  could not take it out of the traffic: ${(error as Error).message}`));
      await script('apps.sh', ['stop', canary.name], { APP_REPLICAS: String(canaryReplica) }).catch((error: unknown) => say(`  could not stop it: ${(error as Error).message}`));
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanUp().then(() => process.exit(130)));
  }

  let judgement: Judgement;
  let window = { canary: emptyStats(), stable: emptyStats() };
  let seconds = 0;
  try {
    say(`starting ${canary.name}, the canary of ${app} (port ${canary.port}, metrics ${canary.metricsPort}), from the current build`);
    await script('apps.sh', ['start', canary.name], { APP_REPLICAS: String(canaryReplica), RELEASE_TRACK: 'canary' });
    await traffic.on();
    say(`${canary.name} gets ${share} % of the ${app} traffic; warming up for ${settings.warmupSeconds} s`);
    await pause(settings.warmupSeconds * 1000);

    const start = { canary: await statsOf([canary]), stable: await statsOf(stable) };
    say(`comparing with ${stable.map((instance) => instance.name).join(', ')} for up to ${settings.durationSeconds} s`);
    judgement = { verdict: 'continue', reasons: [] };
    while (judgement.verdict === 'continue' && seconds < settings.durationSeconds) {
      const step = Math.min(settings.checkSeconds, settings.durationSeconds - seconds);
      await pause(step * 1000);
      seconds += step;
      let now: { canary: RequestStats; stable: RequestStats };
      try {
        now = { canary: await statsOf([canary]), stable: await statsOf(stable) };
      } catch (error) {
        judgement = { verdict: 'abort', reasons: [`the metrics stopped answering: ${(error as Error).message}`] };
        break;
      }
      window = { canary: combine(now.canary, start.canary, -1), stable: combine(now.stable, start.stable, -1) };
      say(`  ${String(seconds).padStart(4)} s: canary ${window.canary.requests} requests, ${window.canary.errors} 5xx; stable ${window.stable.requests} requests, ${window.stable.errors} 5xx`);
      judgement = judge(window.canary, window.stable, settings.thresholds, seconds >= settings.durationSeconds);
    }
  } finally {
    await cleanUp();
  }

  say('');
  say(`${canary.name} against ${stable.map((instance) => instance.name).join(', ')} over ${seconds} s, with ${share} % of the traffic:`);
  say(comparisonTable(window.canary, window.stable, settings.thresholds.quantile));
  say(`verdict: ${judgement.verdict}`);
  for (const reason of judgement.reasons) say(`  ${reason}`);
  if (judgement.verdict === 'promote') {
    say(`next: roll the stable replicas onto this build one at a time (${stableNames.map((name) => `scripts/apps.sh restart ${name}`).join('; ')})`);
    return 0;
  }
  say(`${canary.name} is stopped; ${stableNames.join(', ')} serve all of the ${app} traffic`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[canary] error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
