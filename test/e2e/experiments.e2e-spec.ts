/**
 * The search-ranking experiment end to end (docs/api.md, "Experiments"): the
 * gateway assigns from the test profile's definitions file, search orders
 * the page by the variant, and first exposures arrive on Kafka in the contract.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EXPERIMENTS, SearchRanking } from '@app/api';
import { type EventEnvelope, parseEnvelope, Topics } from '@app/contracts';
import { anonymousId, catalogProblems, ExperimentEvaluator, experimentSubject, parseDefinitions } from '@app/platform';
import { type Account, newAccount } from '../support/accounts.js';
import { api, type ApiResponse } from '../support/api.js';
import { setting, uniqueUsername } from '../support/env.js';
import { eventually } from '../support/eventually.js';
import { readTopicToEnd } from '../support/kafka.js';

interface Post {
  id: string;
  text: string;
}
interface Page {
  items: Post[];
  nextCursor: string | null;
}
type Variant = typeof SearchRanking.control | typeof SearchRanking.treatment;

// The same file and evaluator the gateway uses: the test knows each caller's variant in advance.
const definitions = (() => {
  const parsed = parseDefinitions(readFileSync(setting('EXPERIMENTS_FILE', 'config/experiments.json'), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  expect(catalogProblems(parsed.definitions, EXPERIMENTS)).toEqual([]);
  return parsed.definitions;
})();
const evaluator = new ExperimentEvaluator(definitions);
const variantOfUser = (account: Account) => evaluator.assign(SearchRanking.name, experimentSubject(account.id, () => ''));
// The e2e client runs on the gateway's machine: its address is loopback, but X-Client-Id wins over it.
const variantOfClient = (clientId: string) => evaluator.assign(SearchRanking.name, experimentSubject(undefined, () => anonymousId(clientId, '127.0.0.1', undefined)));

async function accountIn(variant: Variant): Promise<Account> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const account = await newAccount('exp');
    if (variantOfUser(account) === variant) return account;
  }
  throw new Error(`no account landed in ${variant} (is the experiment running in ${setting('EXPERIMENTS_FILE', 'config/experiments.json')}?)`);
}

function clientIn(variant: Variant): string {
  for (let attempt = 0; attempt < 200; attempt++) {
    const clientId = `e2e-client-${randomBytes(8).toString('hex')}`;
    if (variantOfClient(clientId) === variant) return clientId;
  }
  throw new Error(`no client id landed in ${variant}`);
}

describe('search-ranking experiment', () => {
  // A marker word makes the query of this run match its own posts only.
  const marker = `x${uniqueUsername('e').slice(2)}`;
  let author: Account;
  let control: Account;
  let treatment: Account;
  const anonymous: Record<Variant, string> = { control: '', treatment: '' };
  // The older post says the marker three times (more relevant); the newer one once.
  let relevant: Post;
  let recent: Post;

  const search = (caller: { token?: string; clientId?: string }, query = ''): Promise<ApiResponse<Page>> =>
    api<Page>('GET', `/api/v1/search/posts?q=${encodeURIComponent(marker)}${query}`, {
      token: caller.token,
      headers: caller.clientId ? { 'x-client-id': caller.clientId } : {},
    });

  beforeAll(async () => {
    [author, control, treatment] = await Promise.all([newAccount('expa'), accountIn('control'), accountIn('treatment')]);
    anonymous.control = clientIn('control');
    anonymous.treatment = clientIn('treatment');
    const create = async (text: string) => {
      const response = await api<Post>('POST', '/api/v1/posts', { token: author.accessToken, body: { text } });
      expect(response.status).toBe(201);
      return response.body;
    };
    relevant = await create(`${marker} ${marker} ${marker}: the word, thrice`);
    recent = await create(`only once: ${marker}`);
    await eventually(async () => ((await search({})).body.items.length === 2 ? true : undefined), { what: 'both posts in the search index' });
  });

  it('orders newest first for control and by relevance for treatment, signed in or anonymous, with the same posts', async () => {
    const callers: [Variant, { token?: string; clientId?: string }][] = [
      ['control', { token: control.accessToken }],
      ['treatment', { token: treatment.accessToken }],
      ['control', { clientId: anonymous.control }],
      ['treatment', { clientId: anonymous.treatment }],
    ];
    for (const [variant, caller] of callers) {
      const page = await search(caller);
      expect(page.status).toBe(200);
      expect(page.headers.get('x-warble-experiments')).toBe(`search-ranking=${variant}`);
      expect(page.body.items.map((post) => post.id)).toEqual(variant === 'control' ? [recent.id, relevant.id] : [relevant.id, recent.id]);
    }
  });

  it('pages through the ranked order with a cursor that keeps its order', async () => {
    const first = await search({ token: treatment.accessToken }, '&limit=1');
    expect(first.body.items.map((post) => post.id)).toEqual([relevant.id]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    // The cursor carries the order: a control caller continuing it stays in the ranked order.
    for (const token of [treatment.accessToken, control.accessToken]) {
      const second = await search({ token }, `&limit=1&cursor=${first.body.nextCursor}`);
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ items: [expect.objectContaining({ id: recent.id })], nextCursor: null });
    }
    const controlFirst = await search({ token: control.accessToken }, '&limit=1');
    expect(controlFirst.body.items.map((post) => post.id)).toEqual([recent.id]);
    const controlSecond = await search({ token: control.accessToken }, `&limit=1&cursor=${controlFirst.body.nextCursor}`);
    expect(controlSecond.body).toEqual({ items: [expect.objectContaining({ id: relevant.id })], nextCursor: null });
  });

  it('does not let a client pick its variant: its own X-Warble-Experiments header is not forwarded', async () => {
    const page = await api<Page>('GET', `/api/v1/search/posts?q=${encodeURIComponent(marker)}`, {
      token: control.accessToken,
      headers: { 'x-warble-experiments': 'search-ranking=treatment' },
    });
    expect(page.headers.get('x-warble-experiments')).toBe('search-ranking=control');
    expect(page.body.items.map((post) => post.id)).toEqual([recent.id, relevant.id]);
  });

  it('publishes one experiment.exposed per subject, variant and UTC day, in the contract', async () => {
    // Every caller above searched several times; a few more changes nothing.
    await Promise.all([search({ token: control.accessToken }), search({ token: treatment.accessToken }), search({ clientId: anonymous.treatment })]);
    const anonymousIds = { control: anonymousId(anonymous.control, '127.0.0.1', undefined), treatment: anonymousId(anonymous.treatment, '127.0.0.1', undefined) };
    const keys = new Set([control.id, treatment.id, anonymousIds.control, anonymousIds.treatment]);
    const events = await eventually(
      async () => {
        const messages = await readTopicToEnd(Topics.experiments, (message) => keys.has(message.key ?? ''));
        return messages.length >= 4 ? messages : undefined;
      },
      { timeoutMs: 30_000, what: 'the exposures on Kafka' },
    );
    const envelopes = events.map((message) => {
      const parsed = parseEnvelope(JSON.parse(message.value));
      if (!parsed.ok || !parsed.known) throw new Error(`not in the contract: ${message.value} (${parsed.ok ? 'unknown type' : parsed.error})`);
      expect(message.headers['event-type']).toBe('experiment.exposed');
      expect(parsed.envelope.aggregateId).toBe(message.key);
      return parsed.envelope as EventEnvelope<'experiment.exposed'>;
    });
    expect(envelopes).toHaveLength(4);
    const today = new Date().toISOString().slice(0, 10);
    const exposure = (variant: Variant, who: { userId: string | null; anonymousId: string | null }) => ({
      type: 'experiment.exposed',
      producer: 'search',
      data: { experiment: SearchRanking.name, variant, ...who, day: today, exposedAt: expect.any(String) },
    });
    expect(envelopes).toEqual(
      expect.arrayContaining([
        expect.objectContaining(exposure('control', { userId: control.id, anonymousId: null })),
        expect.objectContaining(exposure('treatment', { userId: treatment.id, anonymousId: null })),
        expect.objectContaining(exposure('control', { userId: null, anonymousId: anonymousIds.control })),
        expect.objectContaining(exposure('treatment', { userId: null, anonymousId: anonymousIds.treatment })),
      ]),
    );
  });

  it('counts requests and exposures per variant in Prometheus', async () => {
    const scrape = async (app: string, port: string) => (await fetch(`http://127.0.0.1:${setting(`${app}_METRICS_PORT`, port)}/metrics`)).text();
    /** The sample of `metric` whose labels include all of `labels`, if it is above 0. */
    const positive = (text: string, metric: string, labels: Record<string, string>) =>
      text
        .split('\n')
        .filter((line) => line.startsWith(`${metric}{`))
        .some((line) => Object.entries(labels).every(([name, value]) => line.includes(`${name}="${value}"`)) && Number(line.split(' ').at(-1)) > 0);
    const gateway = await scrape('GATEWAY', '9100');
    const search = await scrape('SEARCH', '9104');
    for (const variant of ['control', 'treatment']) {
      const labels = { experiment: SearchRanking.name, variant, route: '/api/v1/search/posts' };
      expect(positive(gateway, 'experiment_requests_total', { ...labels, status: '200' })).toBe(true);
      expect(positive(gateway, 'experiment_request_duration_seconds_count', labels)).toBe(true);
      expect(positive(search, 'experiment_exposures_total', { experiment: SearchRanking.name, variant })).toBe(true);
    }
  });
});
