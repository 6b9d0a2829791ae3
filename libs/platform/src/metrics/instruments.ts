import { Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * Every metric of the system, defined once (local_cache_requests_total
 * beside BoundedCache, in cache/). Labels are bounded: route
 * templates (never raw paths), topics, outcomes — never user or post ids.
 * Each process adds its `service` label as a default label at boot.
 */
export const Metrics = {
  httpRequests: new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames: ['route', 'method', 'status'] as const }),
  httpDuration: new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  }),
  httpActive: new Gauge({ name: 'http_active_requests', help: 'HTTP requests in flight' }),
  kafkaProduced: new Counter({ name: 'kafka_messages_produced_total', help: 'Messages acknowledged by the broker', labelNames: ['topic'] as const }),
  kafkaConsumed: new Counter({ name: 'kafka_messages_consumed_total', help: 'Messages handled, by outcome', labelNames: ['topic', 'outcome'] as const }),
  kafkaHandlerDuration: new Histogram({
    name: 'kafka_handler_duration_seconds',
    help: 'Time to handle one message, retries included',
    labelNames: ['topic'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  kafkaRetries: new Counter({ name: 'kafka_handler_retries_total', help: 'Handler attempts that failed and were retried', labelNames: ['topic'] as const }),
  kafkaDeadLetters: new Counter({ name: 'kafka_dead_letters_total', help: 'Messages sent to a dead-letter topic', labelNames: ['topic'] as const }),
  kafkaConsumerLag: new Gauge({ name: 'kafka_consumer_lag', help: 'Messages behind the partition end, at the last batch', labelNames: ['topic', 'partition'] as const }),
  outboxBacklog: new Gauge({ name: 'outbox_backlog', help: 'Outbox rows not yet published' }),
  outboxOldestAge: new Gauge({ name: 'outbox_oldest_age_seconds', help: 'Age of the oldest unpublished outbox row' }),
  dbPool: new Gauge({ name: 'db_pool_connections', help: 'Database pool connections by state', labelNames: ['state'] as const }),
  // The standby of the lag-tolerant reads (docs/scaling.md, "Postgres standby"); only with DATABASE_REPLICA_HOST.
  dbReplicaLag: new Gauge({
    name: 'database_replica_lag_seconds',
    help: 'How far the standby was behind the primary at the last check: commits older than this are visible on it',
    labelNames: ['replica'] as const,
  }),
  dbReplicaLagBytes: new Gauge({ name: 'database_replica_lag_bytes', help: 'WAL bytes the standby had not replayed at the last check', labelNames: ['replica'] as const }),
  dbReplicaUp: new Gauge({ name: 'database_replica_up', help: '1 while the standby answers its checks and serves reads, else 0', labelNames: ['replica'] as const }),
  dbReads: new Counter({
    name: 'database_reads_total',
    help: 'Lag-tolerant reads by where they ran and why',
    labelNames: ['target', 'reason'] as const,
  }),
  cacheRequests: new Counter({ name: 'cache_requests_total', help: 'Cache lookups by cache and result', labelNames: ['cache', 'result'] as const }),
  redisTimeouts: new Counter({
    name: 'redis_timeouts_total',
    help: 'Redis calls on a request path given up after REDIS_REQUEST_TIMEOUT_MS (the request went on without Redis), by call',
    labelNames: ['call'] as const,
  }),
  cacheRepairs: new Counter({
    name: 'cache_repairs_total',
    help: 'Cache writes that failed after a commit and were retried from the database, by cache and outcome (scheduled, repaired, dropped)',
    labelNames: ['cache', 'outcome'] as const,
  }),
  // Experiments (docs/operations.md, "Experiments"): `experiment` and `variant` come from the definitions
  // file, which the code checks against the experiments it knows, so they stay a handful of values.
  experimentRequests: new Counter({
    name: 'experiment_requests_total',
    help: 'Requests of a route under test answered, by experiment, variant ("none": not in the experiment) and status',
    labelNames: ['experiment', 'variant', 'route', 'status'] as const,
  }),
  experimentDuration: new Histogram({
    name: 'experiment_request_duration_seconds',
    help: 'Latency of a route under test, by experiment and variant',
    labelNames: ['experiment', 'variant', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  }),
  experimentExposures: new Counter({
    name: 'experiment_exposures_total',
    help: 'First exposures of a subject to a variant on a UTC day, written to the outbox',
    labelNames: ['experiment', 'variant'] as const,
  }),
  experimentDefinitionReloads: new Counter({
    name: 'experiment_definition_reloads_total',
    help: 'Changed experiment definition files, applied or rejected (the previous ones stay)',
    labelNames: ['outcome'] as const,
  }),
  // A canary beside a service's replicas (docs/operations.md, "A canary on this machine"); 0 without one.
  upstreamCanaryPercent: new Gauge({
    name: 'upstream_canary_percent',
    help: 'Share in percent of the requests to a service that this process sends to its canary',
    labelNames: ['upstream'] as const,
  }),
  feedFanoutDelay: new Histogram({
    name: 'feed_fanout_delay_seconds',
    help: 'From post creation until fan-out into all follower feeds finished',
    labelNames: ['kind'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  }),
};

export const metricsRegistry = register;

const scrapeHooks: (() => Promise<void> | void)[] = [];

/** Registers a refresh of gauges that are read at scrape time (outbox backlog, pool counts). */
export function onScrape(hook: () => Promise<void> | void): void {
  scrapeHooks.push(hook);
}

export async function renderMetrics(): Promise<string> {
  await Promise.all(scrapeHooks.map(async (hook) => hook()));
  return metricsRegistry.metrics();
}
