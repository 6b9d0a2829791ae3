import { parseArgs } from 'node:util';

export interface BenchOptions {
  gateway: string;
  graph?: string;
  users: number;
  postsPerUser: number;
  connections: number;
  durationSec: number;
  rounds: number;
  warmupSec: number;
  growthFactor: number;
  celebrityThreshold: number;
  skipGrowth: boolean;
}

const HELP = `make bench [ARGS="..."]  (or node dist/scripts/bench/bench.js ...)
  --graph FILE              edge list "a b" per line; each edge becomes two follows
                            (default: a synthetic power-law graph)
  --users N                 users of the synthetic graph (default 1000)
  --posts-per-user N        posts each user writes while seeding (default 5)
  --connections N           concurrent connections per load run (default 32)
  --duration S              seconds per load run (default 10)
  --rounds N                repetitions of the ceiling and growth runs; medians are quoted (default 5)
  --warmup S                seconds of unrecorded load on each server before the ceiling
                            rounds, so that JIT compilation and caches settle (default 15)
  --growth N                posts multiplier for the growth test (default 10)
  --skip-growth             skip the growth test
  --celebrity-threshold N   FEED_CELEBRITY_THRESHOLD the posts service runs with (default: the bench profile's)
  --gateway URL             default http://127.0.0.1:3000`;

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      graph: { type: 'string' },
      users: { type: 'string', default: '1000' },
      'posts-per-user': { type: 'string', default: '5' },
      connections: { type: 'string', default: '32' },
      duration: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '15' },
      growth: { type: 'string', default: '10' },
      'skip-growth': { type: 'boolean', default: false },
      'celebrity-threshold': { type: 'string', default: process.env.FEED_CELEBRITY_THRESHOLD ?? '200' },
      gateway: { type: 'string', default: 'http://127.0.0.1:3000' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const positive = (name: string, value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number <= 0) throw new Error(`--${name} must be a positive integer, got "${value}"`);
    return number;
  };
  return {
    gateway: values.gateway,
    graph: values.graph,
    users: positive('users', values.users),
    postsPerUser: positive('posts-per-user', values['posts-per-user']),
    connections: positive('connections', values.connections),
    durationSec: positive('duration', values.duration),
    rounds: positive('rounds', values.rounds),
    warmupSec: positive('warmup', values.warmup),
    growthFactor: positive('growth', values.growth),
    celebrityThreshold: positive('celebrity-threshold', values['celebrity-threshold']),
    skipGrowth: values['skip-growth'],
  };
}
