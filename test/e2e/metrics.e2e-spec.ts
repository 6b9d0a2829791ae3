/**
 * /metrics of every app after real traffic: the metric families the
 * dashboards and alerts rely on are there, with plausible values and no
 * unbounded labels.
 */
import { newAccount } from '../support/accounts.js';
import { api } from '../support/api.js';
import { setting } from '../support/env.js';
import { eventually } from '../support/eventually.js';

const APPS = ['gateway', 'users', 'posts', 'graph', 'search', 'comments'] as const;
type App = (typeof APPS)[number];

async function scrape(app: App): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${setting(`${app.toUpperCase()}_PORT`)}/metrics`);
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
