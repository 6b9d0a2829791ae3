/**
 * CPU time per request, per process, at a FIXED request rate (docs/benchmarks.md,
 * "CPU time per request"). Throughput at saturation on two shared cores moves by a
 * quarter between runs; the CPU a process spends per request at a rate well below
 * saturation moves far less, so it is what two builds, or two kinds of request,
 * are compared by.
 *
 *   cpu-per-request.js measure [options]   one measurement, appended as a JSON line to --out
 *   cpu-per-request.js report FILE [--baseline LABEL]   medians per label and kind, ratios to the baseline
 *
 * A window: CPU of every measured process (utime + stime from /proc/<pid>/stat)
 * is sampled while idle (--idle seconds, giving each process's background rate),
 * then the load runs at the fixed rate for --duration seconds, then the window
 * waits until every consumer group has caught up (the fan-out of a post is part
 * of its cost), and CPU is sampled again. Per request = (CPU used - idle rate x
 * window) / requests answered 2xx.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createKafka, createLogger } from '@app/platform';
import { ApiClient } from './client.js';
import { loadEdgeList, mulberry32, syntheticGraph } from './graph-source.js';
import { load, type LoadSpec } from './load.js';
import { PASSWORD, postText, SEARCH_TERMS, Seeder, type BenchUser } from './seeder.js';
import { waitForSettled } from './settle.js';
import { fmt, median, pool } from './stats.js';

const HELP = `cpu-per-request.js measure [options]
  --label NAME           name of what is measured (e.g. old, new); default "run"
  --mix K=R,...          request kinds and their rates in req/s (default feed=90,post-read=30,post-write=15,like=15)
                         kinds: ${'feed timeline post-read post-write like follow search comment login hello'}
  --each                 measure each kind alone at its rate, in turn, instead of all together
  --duration S           seconds of fixed-rate load per window (default 30)
  --warmup S             seconds of unrecorded load before a window, at 4x the rates (default 15)
  --idle S               seconds of idle sampling before a window (default 4)
  --rounds N             windows per kind (default 1)
  --pid-dir DIR          where the apps' pid files are (default .run/pids)
  --apps A,B             apps to measure (default gateway,users,posts,graph,search,comments)
  --proc NAME=PID        another process to measure, e.g. redis=1234 (repeatable); NAME=comm:CMD sums
                         every process of that command name (postgres=comm:postgres: all backends, machine-wide)
  --state FILE           seeded users and post ids, made on first use (default .run/bench/cpu-state.json)
  --graph FILE           edge list to seed with (default: synthetic power-law graph of --users)
  --users N              users of the synthetic graph (default 1000)
  --posts-per-user N     posts per user when seeding (default 5)
  --kafka-log-dir DIR    the broker's log.dirs: bytes appended per topic are reported per event
  --out FILE             JSON lines appended here (default .run/bench/cpu-per-request.jsonl)
  --gateway URL          default http://127.0.0.1:3000
cpu-per-request.js report FILE [--baseline LABEL]`;

const KINDS = ['feed', 'timeline', 'post-read', 'post-write', 'like', 'follow', 'search', 'comment', 'login', 'hello'] as const;
type Kind = (typeof KINDS)[number];
const HELLO_PORT = 3902;

interface State {
  users: BenchUser[];
  postIds: string[];
}

/** One window as stored in the JSON lines file. */
export interface WindowRecord {
  label: string;
  at: string;
  kind: string;
  rates: Record<string, number>;
  seconds: number;
  requests: number;
  failed: number;
  p50: Record<string, number>;
  p99: Record<string, number>;
  cpuMs: Record<string, number>;
  idleMsPerSec: Record<string, number>;
  msPerRequest: Record<string, number>;
  kafkaEvents?: Record<string, number>;
  kafkaBytes?: Record<string, number>;
}

const say = (line = '') => process.stdout.write(`${line}\n`);

// --- CPU of processes --------------------------------------------------------------

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** utime + stime of a process in ms (all its threads), or NaN when it is gone. */
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** Summed CPU of every process with this command name (e.g. all Postgres backends; machine-wide). */
function cpuMsOfCommand(command: string): number {
  let sum = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command) sum += cpuMsOf(Number(entry)) || 0;
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

/** A measured process: a pid, or (negative) an index into `commands` for "comm:NAME". */
const commands: string[] = [];
const cpuOf = (pid: number) => (pid < 0 ? cpuMsOfCommand(commands[-pid - 1]) : cpuMsOf(pid));
const sample = (procs: Map<string, number>) => new Map([...procs].map(([name, pid]) => [name, cpuOf(pid)]));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- Kafka topics: events and bytes appended -------------------------------------------

/** Bytes of the *.log segments per topic under the broker's log directory (indexes are preallocated, left out). */
function topicBytes(logDir: string): Map<string, number> {
  const bytes = new Map<string, number>();
  for (const entry of readdirSync(logDir)) {
    const match = /^(.+)-(\d+)$/.exec(entry);
    if (!match || match[1].startsWith('__')) continue;
    const dir = join(logDir, entry);
    let sum = 0;
    for (const file of readdirSync(dir)) if (file.endsWith('.log')) sum += statSync(join(dir, file)).size;
    bytes.set(match[1], (bytes.get(match[1]) ?? 0) + sum);
  }
  return bytes;
}

// --- Requests of each kind ----------------------------------------------------------------

function requestMaker(state: State, gateway: string): (kind: Kind) => Omit<LoadSpec, 'connections' | 'durationSec' | 'rate'> {
  const random = mulberry32(Date.now() % 2 ** 31);
  const anyUser = () => state.users[Math.floor(random() * state.users.length)];
  const anyPost = () => state.postIds[Math.floor(random() * state.postIds.length)];
  const auth = (user = anyUser()) => ({ authorization: `Bearer ${user.accessToken}` });
  let written = 0;
  return (kind) => {
    switch (kind) {
      case 'feed':
        return { url: gateway, next: () => ({ path: '/api/v1/feed?limit=20', headers: auth() }) };
      case 'timeline':
        return { url: gateway, next: () => ({ path: `/api/v1/users/${anyUser().username}/posts?limit=20`, headers: auth() }) };
      case 'post-read':
        return { url: gateway, next: () => ({ path: `/api/v1/posts/${anyPost()}`, headers: auth() }) };
      case 'post-write':
        return { url: gateway, method: 'POST', next: () => ({ path: '/api/v1/posts', headers: auth(), body: JSON.stringify({ text: postText(random, written++) }) }) };
      case 'like':
        return { url: gateway, method: 'POST', next: () => ({ path: `/api/v1/posts/${anyPost()}/like`, headers: auth() }) };
      case 'follow':
        return {
          url: gateway,
          method: 'POST',
          next: () => {
            const follower = anyUser();
            let followee = anyUser();
            while (followee === follower) followee = anyUser();
            return { path: `/api/v1/users/${followee.username}/follow`, headers: auth(follower) };
          },
        };
      case 'search':
        return { url: gateway, next: () => ({ path: `/api/v1/search/posts?q=${encodeURIComponent(SEARCH_TERMS[Math.floor(random() * SEARCH_TERMS.length)])}&limit=20`, headers: auth() }) };
      case 'comment':
        return { url: gateway, method: 'POST', next: () => ({ path: `/api/v1/posts/${anyPost()}/comments`, headers: auth(), body: JSON.stringify({ text: `comment ${written++} coffee кошка` }) }) };
      case 'login':
        return { url: gateway, method: 'POST', next: () => ({ path: '/api/v1/auth/login', body: JSON.stringify({ login: anyUser().username, password: PASSWORD }) }) };
      case 'hello':
        return { url: `http://127.0.0.1:${HELLO_PORT}`, next: () => ({ path: '/hello' }) };
    }
  };
}

/** Enough connections that the rate is never held back by latency (a login takes tens of ms). */
const connectionsFor = (rate: number) => Math.max(2, Math.min(32, Math.ceil(rate / 15)));

// --- measure -------------------------------------------------------------------------

async function measure(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      label: { type: 'string', default: 'run' },
      mix: { type: 'string', default: 'feed=90,post-read=30,post-write=15,like=15' },
      each: { type: 'boolean', default: false },
      duration: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '15' },
      idle: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '1' },
      'pid-dir': { type: 'string', default: '.run/pids' },
      apps: { type: 'string', default: 'gateway,users,posts,graph,search,comments' },
      proc: { type: 'string', multiple: true, default: [] },
      state: { type: 'string', default: '.run/bench/cpu-state.json' },
      graph: { type: 'string' },
      users: { type: 'string', default: '1000' },
      'posts-per-user': { type: 'string', default: '5' },
      'kafka-log-dir': { type: 'string' },
      out: { type: 'string', default: '.run/bench/cpu-per-request.jsonl' },
      gateway: { type: 'string', default: 'http://127.0.0.1:3000' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    say(HELP);
    return;
  }
  const rates = new Map<Kind, number>();
  for (const part of values.mix.split(',')) {
    const [kind, rate] = part.split('=');
    if (!(KINDS as readonly string[]).includes(kind) || !(Number(rate) > 0)) throw new Error(`--mix: "${part}" is not KIND=RATE with a known kind`);
    rates.set(kind as Kind, Number(rate));
  }
  const [durationSec, warmupSec, idleSec, rounds] = [values.duration, values.warmup, values.idle, values.rounds].map(Number);

  const procs = new Map<string, number>();
  for (const app of values.apps.split(',').filter(Boolean)) {
    const file = join(values['pid-dir'], `${app}.pid`);
    if (!existsSync(file)) throw new Error(`${file} not found: is ${app} running?`);
    procs.set(app, Number(readFileSync(file, 'utf8').trim()));
  }
  for (const spec of values.proc) {
    const [name, pid] = spec.split('=');
    if (pid.startsWith('comm:')) procs.set(name, -commands.push(pid.slice(5)));
    else procs.set(name, Number(pid));
  }
  for (const [name, pid] of procs) if (Number.isNaN(cpuOf(pid))) throw new Error(`${name}: no process ${pid}`);

  const api = new ApiClient(values.gateway);
  const kafka = createKafka('warble-bench-cpu', (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), createLogger('bench', 'error'));
  const seeder = new Seeder(api);
  const state = await loadOrSeed(values.state, api, seeder, kafka, values.graph, Number(values.users), Number(values['posts-per-user']));
  await seeder.refreshStaleTokens(state.users);
  const requestOf = requestMaker(state, values.gateway);

  let hello: ChildProcess | undefined;
  if (rates.has('hello')) {
    hello = await startHello();
    procs.set('hello', hello.pid!);
  }
  const groups = values.each ? [...rates.keys()].map((kind) => [kind]) : [[...rates.keys()]];
  say(`cpu-per-request: ${values.label}; ${values.each ? 'each kind alone' : 'all kinds together'} at ${[...rates].map(([k, r]) => `${k} ${r}/s`).join(', ')}`);
  say(`  processes: ${[...procs].map(([name, pid]) => `${name} (${pid})`).join(', ')}; ${durationSec} s windows after ${warmupSec} s warm-up`);
  mkdirSync(dirname(values.out), { recursive: true });
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const kinds of groups) {
        const window = await runWindow(kinds);
        appendFileSync(values.out, `${JSON.stringify(window)}\n`);
        printWindow(`round ${round}`, window);
      }
    }
  } finally {
    hello?.kill();
  }
  writeFileSync(values.state, JSON.stringify(state));

  async function runWindow(kinds: Kind[]): Promise<WindowRecord> {
    await seeder.refreshStaleTokens(state.users);
    const run = (factor: number, seconds: number) =>
      Promise.all(kinds.map((kind) => load({ ...requestOf(kind), connections: connectionsFor(rates.get(kind)! * factor), durationSec: seconds, rate: rates.get(kind)! * factor })));
    if (warmupSec > 0) {
      await run(4, warmupSec);
      if (kinds.some((kind) => kind !== 'hello' && kind !== 'feed' && kind !== 'post-read' && kind !== 'search' && kind !== 'timeline')) await waitForSettled(kafka);
    }
    const idleStart = performance.now();
    const idle0 = sample(procs);
    await sleep(idleSec * 1000);
    const idle1 = sample(procs);
    const idleSeconds = (performance.now() - idleStart) / 1000;
    const bytes0 = values['kafka-log-dir'] ? topicBytes(values['kafka-log-dir']) : undefined;
    const offsets0 = await topicOffsets();
    const start = performance.now();
    const cpu0 = sample(procs);
    const results = await run(1, durationSec);
    await waitForSettled(kafka);
    const cpu1 = sample(procs);
    const seconds = (performance.now() - start) / 1000;
    const offsets1 = await topicOffsets();
    const bytes1 = values['kafka-log-dir'] ? topicBytes(values['kafka-log-dir']) : undefined;
    const answered = results.reduce((sum, r) => sum + r.requests - r.non2xx - r.errors, 0);
    const record: WindowRecord = {
      label: values.label,
      at: new Date().toISOString(),
      kind: kinds.length === 1 ? kinds[0] : 'mix',
      rates: Object.fromEntries(kinds.map((kind) => [kind, rates.get(kind)!])),
      seconds,
      requests: answered,
      failed: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
      p50: Object.fromEntries(kinds.map((kind, i) => [kind, results[i].p50])),
      p99: Object.fromEntries(kinds.map((kind, i) => [kind, results[i].p99])),
      cpuMs: {},
      idleMsPerSec: {},
      msPerRequest: {},
    };
    for (const name of procs.keys()) {
      const used = cpu1.get(name)! - cpu0.get(name)!;
      const idleRate = (idle1.get(name)! - idle0.get(name)!) / idleSeconds;
      record.cpuMs[name] = used;
      record.idleMsPerSec[name] = idleRate;
      record.msPerRequest[name] = Math.max(0, used - idleRate * seconds) / Math.max(answered, 1);
    }
    record.kafkaEvents = {};
    for (const [topic, end] of offsets1) {
      const grown = end - (offsets0.get(topic) ?? 0);
      if (grown > 0) record.kafkaEvents[topic] = grown;
    }
    if (bytes0 && bytes1) {
      record.kafkaBytes = {};
      for (const [topic, size] of bytes1) if (size > (bytes0.get(topic) ?? 0)) record.kafkaBytes[topic] = size - (bytes0.get(topic) ?? 0);
    }
    return record;
  }

  async function topicOffsets(): Promise<Map<string, number>> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((topic) => !topic.startsWith('__'));
      const ends = new Map<string, number>();
      for (const topic of topics) ends.set(topic, (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0));
      return ends;
    } finally {
      await admin.disconnect();
    }
  }
}

async function loadOrSeed(file: string, api: ApiClient, seeder: Seeder, kafka: ReturnType<typeof createKafka>, graphFile: string | undefined, users: number, postsPerUser: number): Promise<State> {
  if (existsSync(file)) {
    const state = JSON.parse(readFileSync(file, 'utf8')) as State;
    say(`  state: ${state.users.length} users and ${state.postIds.length} posts from ${file}`);
    return state;
  }
  const graph = graphFile ? loadEdgeList(graphFile) : syntheticGraph(users);
  say(`[seed] ${graph.source}, ${postsPerUser} posts per user, through the public API`);
  const seeded = await seeder.registerAndLogin(graph.users);
  await seeder.follow(seeded, graph);
  const postIds = await seeder.post(seeded, postsPerUser);
  await waitForSettled(kafka);
  const state = { users: seeded, postIds };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(state));
  // Every reader's feed is in Redis before anything is measured.
  await pool(seeded, 16, async (user) => void (await api.call('GET', '/api/v1/feed?limit=20', { token: user.accessToken })), 'feeds warmed');
  return state;
}

function startHello(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [new URL('./reference-server.js', import.meta.url).pathname, String(HELLO_PORT), 'hello'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`hello server exited with ${code}`)));
  });
}

function printWindow(prefix: string, w: WindowRecord): void {
  const latency = Object.keys(w.rates).map((kind) => `${kind} p50 ${fmt(w.p50[kind])} p99 ${fmt(w.p99[kind])} ms`).join('; ');
  say(`  ${prefix} ${w.label} ${w.kind}: ${w.requests} requests in ${fmt(w.seconds, 1)} s (${w.failed} failed); ${latency}`);
  say(`    CPU ms per request: ${Object.entries(w.msPerRequest).map(([name, ms]) => `${name} ${fmt(ms, 3)}`).join(', ')}`);
  if (w.kafkaEvents && Object.keys(w.kafkaEvents).length > 0) {
    const events = Object.entries(w.kafkaEvents).map(([topic, n]) => `${topic} ${fmt(n / Math.max(w.requests, 1), 2)}${w.kafkaBytes?.[topic] ? ` x ${fmt(w.kafkaBytes[topic] / n)} B` : ''}`);
    say(`    Kafka events per request: ${events.join(', ')}`);
  }
}

// --- report ----------------------------------------------------------------------------

function report(argv: string[]): void {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { baseline: { type: 'string' } } });
  if (positionals.length !== 1) throw new Error('report FILE [--baseline LABEL]');
  const windows = readFileSync(positionals[0], 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as WindowRecord);
  const labels = [...new Set(windows.map((w) => w.label))];
  const baseline = values.baseline ?? labels[0];
  const kinds = [...new Set(windows.map((w) => w.kind))];
  const names = [...new Set(windows.flatMap((w) => Object.keys(w.msPerRequest)))];
  say(`cpu-per-request report: ${positionals[0]}, ${windows.length} windows; medians over windows (min-max); ratio to "${baseline}"`);
  for (const kind of kinds) {
    say(`\n[${kind}]`);
    const of = (label: string) => windows.filter((w) => w.kind === kind && w.label === label);
    for (const label of labels) {
      const list = of(label);
      if (list.length === 0) continue;
      const failed = list.reduce((sum, w) => sum + w.failed, 0);
      say(`  ${label.padEnd(10)} ${list.length} windows, ${fmt(median(list.map((w) => w.requests / w.seconds)))} req/s answered, ${failed} failed`);
    }
    say(`  ${'CPU ms/req'.padEnd(12)}${labels.map((label) => label.padStart(22)).join('')}${labels.length > 1 ? '   ratio to baseline (paired rounds)' : ''}`);
    for (const name of [...names, 'total']) {
      const valuesOf = (label: string) => of(label).map((w) => (name === 'total' ? Object.values(w.msPerRequest).reduce((a, b) => a + b, 0) : w.msPerRequest[name])).filter((v) => v !== undefined);
      const cells = labels.map((label) => {
        const list = valuesOf(label);
        return list.length ? `${fmt(median(list), 3)} (${fmt(Math.min(...list), 3)}-${fmt(Math.max(...list), 3)})`.padStart(22) : ''.padStart(22);
      });
      const base = valuesOf(baseline);
      const ratios = labels
        .filter((label) => label !== baseline)
        .map((label) => {
          const other = valuesOf(label);
          const paired = other.slice(0, base.length).map((v, i) => v / base[i]);
          return `${label} ${fmt(median(other) / median(base), 2)} (${paired.map((r) => fmt(r, 2)).join(' ')})`;
        });
      if (base.length || name === 'total') say(`  ${name.padEnd(12)}${cells.join('')}   ${ratios.join('; ')}`);
    }
  }
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'measure') await measure(rest);
else if (command === 'report') report(rest);
else say(HELP);
process.exit(0);
