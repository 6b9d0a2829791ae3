import { z } from 'zod';

/** Thrown when the environment does not satisfy an app's configuration schema. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment against a schema and returns the typed result.
 * This is the only place that reads `process.env`; every problem names the
 * variable so that a bad deployment fails at boot with a clear message.
 */
export function loadConfig<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`));
}

/** Validates the environment or stops the process with a message naming the variables (boot and CLI commands). */
export function configOrExit<S extends z.ZodType>(schema: S): z.infer<S> {
  try {
    return loadConfig(schema);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/**
 * `TRUST_PROXY`: `true` trusts every hop of X-Forwarded-For, `false` none; or a
 * comma-separated list of addresses and CIDRs (or proxy-addr's names
 * `loopback`, `linklocal`, `uniquelocal`) whose X-Forwarded-For is believed,
 * e.g. the gateway's address for a service (docs/api.md, "Client addresses").
 */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const proxyAddress = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]);
export const trustProxy = z
  .string()
  .trim()
  .transform((value, context): boolean | string[] => {
    if (value === '' || value === 'false' || value === '0') return false;
    if (value === 'true' || value === '1') return true;
    const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
    const bad = entries.filter((entry) => !PROXY_NAMES.has(entry) && !proxyAddress.safeParse(entry).success);
    if (bad.length > 0) context.addIssue({ code: 'custom', message: `must be true, false or comma-separated addresses/CIDRs; not ${bad.join(', ')}` });
    return entries;
  });

/** An unset variable and an empty one mean the same (a ConfigMap may carry `KEY=`). */
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);
const otlpUrl = z.preprocess(emptyAsUnset, z.url({ protocol: /^https?$/ }).optional());

/**
 * OpenTelemetry tracing (docs/operations.md, "Tracing"), with the standard
 * OTEL_* names. It is off unless an OTLP endpoint is set; then every span goes
 * to that collector over OTLP/HTTP (JSON).
 */
export const tracingEnv = z.object({
  // Base URL; spans go to <endpoint>/v1/traces.
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
  // Full URL for spans only; wins over the base URL.
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlpUrl,
  OTEL_SERVICE_NAME: z.preprocess(emptyAsUnset, z.string().min(1).optional()),
  OTEL_TRACES_SAMPLER: z
    .preprocess(emptyAsUnset, z.enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio']).optional())
    .transform((value) => value ?? 'parentbased_always_on'),
  // The ratio of the *traceidratio samplers, 0..1.
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(emptyAsUnset, z.coerce.number().min(0).max(1).optional()),
  // Milliseconds between two exports of the batch span processor.
  OTEL_BSP_SCHEDULE_DELAY: z.preprocess(emptyAsUnset, positiveInt.max(3_600_000).optional()).transform((value) => value ?? 5_000),
  OTEL_SDK_DISABLED: z.preprocess(emptyAsUnset, flag.optional()).transform((value) => value ?? false),
});

/**
 * The HTTP listeners of every app (docs/operations.md, "Metrics" and "HTTP
 * timeouts"). A request whose headers or body do not arrive in time is
 * answered 408 and its connection closed (slow-body clients hold nothing).
 */
export const httpServerEnv = z.object({
  // Internal listener for Prometheus (GET /metrics only); never the public port.
  // 0 takes any free port (test processes that only need the public one).
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9100),
  // The whole request, headers and body, must arrive within this.
  HTTP_REQUEST_TIMEOUT_MS: positiveInt.min(1_000).max(300_000).default(15_000),
  // ...and its headers within this (at most the request timeout).
  HTTP_HEADERS_TIMEOUT_MS: positiveInt.min(1_000).max(300_000).default(10_000),
  // An idle keep-alive connection is closed after this; above the gateway's pool keep-alive (30 s)
  // and the ingress's upstream keep-alive (60 s), so that the server never closes a connection a client is about to reuse.
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt.max(600_000).default(72_000),
  // On SIGTERM, /health/ready answers 503 this long before the listener closes, while requests
  // are still served: the balancer in front (HAProxy, the gateway) stops sending first. 0 off
  // (Kubernetes: the pod's preStop sleep does the same).
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(60_000).default(0),
});

/**
 * Canary releases on one machine (docs/operations.md, "A canary on this
 * machine"): a canary process carries `track="canary"` on its metric series
 * and log lines, and the fault switch makes a process answer 500 on one route
 * ("GET /posts/:id": method and route template) so that an abort can be
 * proven. Both are off by default.
 */
export const releaseEnv = z.object({
  RELEASE_TRACK: z.enum(['stable', 'canary']).default('stable'),
  FAULT_500_ROUTE: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .trim()
      .regex(/^(GET|HEAD|POST|PUT|PATCH|DELETE) \/\S*$/, 'must be a method and a route template, e.g. "GET /posts/:id"')
      .optional(),
  ),
});

export const serviceEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Fixed Snowflake worker id; unset, each process leases a free one from its database.
  WORKER_ID: z.coerce.number().int().min(0).max(1023).optional(),
  // Whose X-Forwarded-For to believe: the ingress in front of the gateway, the gateway in front of users.
  TRUST_PROXY: trustProxy.default(false),
  // Every app verifies access tokens itself (docs/architecture.md, "Authentication").
  JWT_PUBLIC_KEY: z.string().optional(),
  JWT_PUBLIC_KEY_FILE: z.string().optional(),
  ...httpServerEnv.shape,
  ...tracingEnv.shape,
  ...releaseEnv.shape,
});

/**
 * A service's replicas: one base URL, or several comma-separated (the caller
 * balances over them with a ServiceClient, docs/scaling.md "Balancing").
 */
export const serviceUrls = z
  .string()
  .transform((value) => value.split(',').map((url) => url.trim()).filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^https?$/ })).min(1, 'must name at least one URL'));

export const databaseEnv = z.object({
  DATABASE_HOST: z.string().min(1),
  DATABASE_PORT: port.default(5432),
  DATABASE_NAME: z.string().min(1),
  DATABASE_USER: z.string().min(1),
  DATABASE_PASSWORD: z.string().default(''),
  DATABASE_POOL_SIZE: positiveInt.max(200).default(10),
  DATABASE_MIGRATIONS_RUN: flag.default(true),
  // A streaming hot standby for the reads that may lag (docs/scaling.md, "Postgres standby"):
  // same user, password and database as the primary. Unset, every read goes to the primary.
  DATABASE_REPLICA_HOST: z.preprocess(emptyAsUnset, z.string().min(1).optional()),
  DATABASE_REPLICA_PORT: z.preprocess(emptyAsUnset, port.optional()).transform((value) => value ?? 5432),
  // Connections per process to the standby; unset, DATABASE_POOL_SIZE.
  DATABASE_REPLICA_POOL_SIZE: z.preprocess(emptyAsUnset, positiveInt.max(200).optional()),
  // A caller who wrote within this long reads from the primary; the standby serves a read
  // only while it is known to be less than this far behind.
  DATABASE_READ_YOUR_WRITES_MS: positiveInt.min(100).max(600_000).default(5_000),
  // How often each process measures the standby's lag (and retries it after a failure).
  DATABASE_REPLICA_CHECK_INTERVAL_MS: positiveInt.min(100).max(60_000).default(1_000),
});

export const kafkaEnv = z.object({
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean)),
  KAFKA_TOPIC_PARTITIONS: positiveInt.max(1000).default(6),
  KAFKA_HANDLER_MAX_ATTEMPTS: positiveInt.max(20).default(5),
  KAFKA_HANDLER_BACKOFF_MS: positiveInt.default(200),
  // A handler failing because Redis or Postgres is away is retried this long, past KAFKA_HANDLER_MAX_ATTEMPTS.
  KAFKA_HANDLER_OUTAGE_RETRY_MS: positiveInt.max(3_600_000).default(120_000),
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: positiveInt.max(64).default(3),
  // How long consumed event ids are kept for deduplication.
  INBOX_RETENTION_DAYS: positiveInt.max(3650).default(14),
  OUTBOX_POLL_MS: positiveInt.default(100),
  OUTBOX_BATCH_SIZE: positiveInt.max(5000).default(500),
});

/** `host:port` of one Redis Cluster node. */
const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

export const redisEnv = z.object({
  REDIS_URL: z.url({ protocol: /^rediss?$/ }),
  // Set, the apps use ioredis's cluster client with these seed nodes and REDIS_URL is not used.
  REDIS_CLUSTER_NODES: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((node) => node.trim()).filter(Boolean))
    .refine((nodes) => nodes.every((node) => HOST_PORT.test(node)), 'must be comma-separated host:port pairs, e.g. 10.0.0.1:7001,10.0.0.2:7001'),
  // A Redis call on a request's path waits this long, then the request goes on without Redis (docs/scaling.md, "Redis failover").
  REDIS_REQUEST_TIMEOUT_MS: positiveInt.max(10_000).default(300),
});

/**
 * Redis for an app that otherwise does without it: only the read-your-own-writes
 * markers of the standby reads use it (database/recent-writes.ts), and only
 * while DATABASE_REPLICA_HOST is set. Unset, such an app never connects to Redis.
 */
export const readYourWritesRedisEnv = z.object({
  REDIS_URL: z.preprocess(emptyAsUnset, redisEnv.shape.REDIS_URL.optional()),
  REDIS_CLUSTER_NODES: redisEnv.shape.REDIS_CLUSTER_NODES,
  REDIS_REQUEST_TIMEOUT_MS: redisEnv.shape.REDIS_REQUEST_TIMEOUT_MS,
});

/**
 * Settings every rate-limiting app shares (docs/api.md, "Limits"): the gateway's
 * request budgets and the users service's login throttling.
 */
/**
 * Experiment definitions (docs/operations.md, "Experiments"): the JSON file
 * the gateway assigns from, read at start and again whenever it changes.
 * A relative path is relative to the working directory (the repository, or
 * /app in the images).
 */
export const experimentsEnv = z.object({
  EXPERIMENTS_FILE: z.string().min(1).default('config/experiments.json'),
  // Changes within this many milliseconds are read once.
  EXPERIMENTS_RELOAD_DEBOUNCE_MS: z.coerce.number().int().min(0).max(60_000).default(200),
});
export type ExperimentsEnv = z.infer<typeof experimentsEnv>;

export const rateLimitEnv = z.object({
  // false turns every limit off (the bench profile does, its load comes from one address).
  RATE_LIMIT_ENABLED: flag.default(true),
  // Prepended to every limiter key in Redis (several deployments may share one Redis).
  RATE_LIMIT_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_.{}-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 : _ . { } -').default('warble:ratelimit:'),
});

export type ServiceEnv = z.infer<typeof serviceEnv>;
export type TracingEnv = z.infer<typeof tracingEnv>;
export type ReleaseEnv = z.infer<typeof releaseEnv>;
export type DatabaseEnv = z.infer<typeof databaseEnv>;
export type KafkaEnv = z.infer<typeof kafkaEnv>;
export type RedisEnv = z.infer<typeof redisEnv>;
export type ReadYourWritesRedisEnv = z.infer<typeof readYourWritesRedisEnv>;
export type RateLimitEnv = z.infer<typeof rateLimitEnv>;
