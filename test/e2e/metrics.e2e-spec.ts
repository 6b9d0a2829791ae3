/**
 * /metrics of every app after real traffic, on each app's internal metrics
 * port (never its public port): the metric families the dashboards and
 * alerts rely on are there, with plausible values and no unbounded labels.
 */
import { newAccount } from '../support/accounts.js';
import { api } from '../support/api.js';
import { gatewayUrl, setting } from '../support/env.js';
import { eventually } from '../support/eventually.js';
import { send } from '../support/http.js';
import { expectProblem } from '../support/problem.js';

const APPS = ['gateway', 'users', 'posts', 'graph', 'search', 'comments'] as const;
type App = (typeof APPS)[number];
/** The local ports scripts/apps.sh gives each app's metrics listener (9100 + offset). */
const DEFAULT_METRICS_PORT: Record<App, number> = { gateway: 9100, users: 9101, posts: 9102, graph: 9103, search: 9104, comments: 9105 };

const metricsUrl = (app: App, path = '/metrics') => `http://127.0.0.1:${setting(`${app.toUpperCase()}_METRICS_PORT`, String(DEFAULT_METRICS_PORT[app]))}${path}`;
const publicUrl = (app: App) => (app === 'gateway' ? gatewayUrl : `http://127.0.0.1:${setting(`${app.toUpperCase()}_PORT`)}`);

async function scrape(app: App): Promise<string> {
  const response = await fetch(metricsUrl(app));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

/** Sum of one family's samples whose labels contain every given `key="value"`. */
function total(text: string, family: string, ...labels: string[]): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${family}{`) || line.startsWith(`${family} `))
    .filter((line) => labels.every((label) => line.includes(label)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('/metrics is internal', () => {
  it('is not served on the gateway\'s public port: a 404 problem like any unknown route', async () => {
    const response = await send({ method: 'GET', path: '/metrics' });
    expect(expectProblem(response, 404).code).toBe('ROUTE_NOT_FOUND');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(JSON.stringify(response.body)).not.toMatch(/process_cpu|http_requests_total/);
  });

  it.each(APPS)('%s: not on the public port, but on the metrics port', async (app) => {
    const open = await send({ baseUrl: publicUrl(app), method: 'GET', path: '/metrics' });
    expectProblem(open, 404);
    const internal = await fetch(metricsUrl(app));
    expect(internal.status).toBe(200);
    expect(internal.headers.get('cache-control')).toBe('no-store');
    expect(await internal.text()).toMatch(new RegExp(`^process_cpu_seconds_total\\{service="${app}"\\}`, 'm'));
  });

  it('the metrics port serves nothing else', async () => {
    expect((await fetch(metricsUrl('gateway', '/api/v1/feed'))).status).toBe(404);
    expect((await fetch(metricsUrl('gateway', '/health/ready'))).status).toBe(404);
    expect((await fetch(metricsUrl('gateway'), { method: 'POST' })).status).toBe(405);
  });
});

describe('/metrics', () => {
  beforeAll(async () => {
    // Real traffic through every service: a registration, a follow, a post, a comment, reads.
    const [author, reader] = await Promise.all([newAccount('met'), newAccount('metr')]);
    await api('POST', `/api/v1/users/${author.username}/follow`, { token: reader.accessToken });
    await api('GET', '/api/v1/feed', { token: reader.accessToken });
    const post = await api<{ id: string }>('POST', '/api/v1/posts', { token: author.accessToken, body: { text: 'measured #metrics' } });
    await eventually(async () => ((await api('POST', `/api/v1/posts/${post.body.id}/comments`, { token: reader.accessToken, body: { text: 'hi' } })).status === 201 ? true : undefined));
    await api('GET', '/api/v1/feed', { token: reader.accessToken });
    await api('GET', '/api/v1/search/posts?q=measured');
  });

  it.each(APPS)('%s exports RED, runtime and process metrics with its service label', async (app) => {
    const text = await scrape(app);
    expect(total(text, 'http_requests_total', `service="${app}"`)).toBeGreaterThan(0);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{.*le="0\.5"/m);
    expect(text).toMatch(/^http_active_requests\{service="\w+"\} \d+/m);
    expect(total(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(total(text, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 2 ** 20);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes\{/m);
    // Routes are templates, never raw ids (bounded cardinality).
    expect(text).not.toMatch(/route="[^"]*\/\d{6,}/);
  });

  it.each(['users', 'posts', 'graph', 'search', 'comments'] as const)('%s exports database pool and outbox gauges', async (app) => {
    const text = await scrape(app);
    expect(text).toMatch(/^db_pool_connections\{state="idle",service="\w+"\} \d+/m);
    expect(text).toMatch(/^db_pool_connections\{state="waiting",service="\w+"\} 0/m);
    expect(total(text, 'outbox_backlog')).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^outbox_oldest_age_seconds\{/m);
  });

  it('counts produced and consumed Kafka messages, handler time and consumer lag', async () => {
    await eventually(async () => {
      const [users, search, posts] = await Promise.all([scrape('users'), scrape('search'), scrape('posts')]);
      const ready =
        total(users, 'kafka_messages_produced_total', 'topic="users.events.v1"') > 0 &&
        total(search, 'kafka_messages_consumed_total', 'outcome="applied"') > 0 &&
        total(search, 'kafka_handler_duration_seconds_count') > 0 &&
        /^kafka_consumer_lag\{/m.test(posts);
      return ready ? true : undefined;
    }, { what: 'Kafka metrics after traffic' });
  });

  it('records fan-out delay and cache hits and misses in posts', async () => {
    const posts = await scrape('posts');
    expect(total(posts, 'feed_fanout_delay_seconds_count', 'kind="ordinary"')).toBeGreaterThan(0);
    expect(total(posts, 'feed_fanout_delay_seconds_sum')).toBeLessThan(total(posts, 'feed_fanout_delay_seconds_count') * 60);
    expect(total(posts, 'cache_requests_total', 'cache="feed"')).toBeGreaterThan(0);
    expect(total(posts, 'cache_requests_total', 'cache="post"')).toBeGreaterThan(0);
  });
});
