/**
 * The search-ranking experiment end to end (docs/api.md, "Experiments"): the
 * gateway assigns from the test profile's definitions file, search orders
 * the page by the variant, first exposures and the results shown arrive on
 * Kafka in the contract, and `make experiment-report` prints the figures of
 * what the users did (docs/operations.md, "Reading an experiment's report").
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
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
        // The topic carries the results shown too (tested below): exposures only here.
        const messages = await readTopicToEnd(Topics.experiments, (message) => keys.has(message.key ?? '') && message.headers['event-type'] === 'experiment.exposed');
        return messages.length >= 4 ? messages : undefined;
      },
      { timeoutMs: 30_000, what: 'the exposures on Kafka' },
    );
    const envelopes = events.map((message) => {
      const parsed = parseEnvelope(JSON.parse(message.value));
      if (!parsed.ok || !parsed.known) throw new Error(`not in the contract: ${message.value} (${parsed.ok ? 'unknown type' : parsed.error})`);
      expect(parsed.envelope.type).toBe('experiment.exposed');
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

const run = promisify(execFile);

/** `make experiment-report` as an operator runs it, with this test's environment (profile, brokers). */
async function experimentReport(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('make', ['--no-print-directory', 'experiment-report', ...args], { env: process.env, timeout: 180_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The envelopes of `type` among messages, each checked against the contract and its headers. */
function envelopesOf<T extends 'experiment.exposed' | 'experiment.results-shown' | 'post.liked' | 'comment.created'>(messages: { key?: string; value: string; headers: Record<string, string> }[], type: T): EventEnvelope<T>[] {
  return messages
    .filter((message) => message.headers['event-type'] === type)
    .map((message) => {
      const parsed = parseEnvelope(JSON.parse(message.value));
      if (!parsed.ok || !parsed.known) throw new Error(`not in the contract: ${message.value} (${parsed.ok ? 'unknown type' : parsed.error})`);
      expect(parsed.envelope.type).toBe(type);
      return parsed.envelope as EventEnvelope<T>;
    });
}

describe('make experiment-report on the search-ranking experiment', () => {
  const marker = `r${uniqueUsername('e').slice(2)}`;
  // Only what this test does counts: exposures and results shown from its start on.
  let since: Date;
  let author: Account;
  const users: Record<Variant, Account[]> = { control: [], treatment: [] };
  let anonymousClient: string;
  /** Two posts the search returns, one it never returns (no marker). */
  let returned: Post[];
  let notReturned: Post;
  /** What each user was served, in order. */
  const served = new Map<string, string[]>();

  const like = async (who: Account, post: Post) => {
    const response = await api('POST', `/api/v1/posts/${post.id}/like`, { token: who.accessToken });
    expect(response.status).toBeLessThan(300);
  };
  const comment = async (who: Account, post: Post) => {
    const response = await api('POST', `/api/v1/posts/${post.id}/comments`, { token: who.accessToken, body: { text: 'found it through search' } });
    expect(response.status).toBe(201);
  };

  beforeAll(async () => {
    since = new Date();
    author = await newAccount('repa');
    for (const variant of ['control', 'treatment'] as const) {
      for (let i = 0; i < 3; i++) users[variant].push(await accountIn(variant));
    }
    anonymousClient = clientIn('control');
    const create = async (text: string) => {
      const response = await api<Post>('POST', '/api/v1/posts', { token: author.accessToken, body: { text } });
      expect(response.status).toBe(201);
      return response.body;
    };
    returned = [await create(`${marker} ${marker}: twice`), await create(`once: ${marker}`)];
    notReturned = await create('a post no search of this test returns');
    const search = (headers: Record<string, string>, token?: string) => api<Page>('GET', `/api/v1/search/posts?q=${encodeURIComponent(marker)}`, { token, headers });
    await eventually(async () => ((await search({})).body.items.length === 2 ? true : undefined), { what: 'the posts in the search index' });
    for (const user of [...users.control, ...users.treatment]) {
      const page = await search({}, user.accessToken);
      expect(page.status).toBe(200);
      served.set(user.id, page.body.items.map((post) => post.id));
    }
    expect((await search({ 'x-client-id': anonymousClient })).status).toBe(200);

    // control: one user likes a post they were served, one comments on a post they were not, one does nothing.
    const [c1, c2] = users.control;
    await like(c1, returned[0]);
    await comment(c2, notReturned);
    // treatment: one likes and comments (counted once), one comments, one likes a post they were not served.
    const [t1, t2, t3] = users.treatment;
    await like(t1, returned[1]);
    await comment(t1, returned[0]);
    await comment(t2, returned[1]);
    await like(t3, notReturned);
  });

  it('publishes experiment.results-shown with the posts each signed-in user was served, in the contract, next to the exposures', async () => {
    const userIds = new Set([...users.control, ...users.treatment].map((user) => user.id));
    const anonymous = anonymousId(anonymousClient, '127.0.0.1', undefined);
    const messages = await eventually(
      async () => {
        const found = await readTopicToEnd(Topics.experiments, (message) => userIds.has(message.key ?? '') || message.key === anonymous);
        return found.filter((message) => message.headers['event-type'] === 'experiment.results-shown').length >= 6 && found.length >= 13 ? found : undefined;
      },
      { timeoutMs: 30_000, what: 'the exposures and results shown on Kafka' },
    );
    const exposures = envelopesOf(messages, 'experiment.exposed');
    const shown = envelopesOf(messages, 'experiment.results-shown');
    expect(exposures).toHaveLength(7);
    expect(shown).toHaveLength(6);
    for (const variant of ['control', 'treatment'] as const) {
      for (const user of users[variant]) {
        expect(exposures).toContainEqual(expect.objectContaining({ aggregateId: user.id, data: expect.objectContaining({ experiment: SearchRanking.name, variant, userId: user.id }) }));
        expect(shown).toContainEqual(
          expect.objectContaining({
            producer: 'search',
            aggregateId: user.id,
            data: { experiment: SearchRanking.name, variant, userId: user.id, postIds: served.get(user.id), shownAt: expect.any(String) },
          }),
        );
      }
    }
    // The anonymous caller was exposed, but gets no results-shown: it cannot like or comment.
    expect(exposures).toContainEqual(expect.objectContaining({ aggregateId: anonymous, data: expect.objectContaining({ variant: 'control', anonymousId: anonymous }) }));
    expect(shown.some((event) => event.aggregateId === anonymous)).toBe(false);
    // What was served: newest first to control, the more relevant (older, marker twice) post first to treatment.
    for (const user of users.control) expect(served.get(user.id)).toEqual([returned[1].id, returned[0].id]);
    for (const user of users.treatment) expect(served.get(user.id)).toEqual([returned[0].id, returned[1].id]);
  });

  it('prints both variants’ users, outcomes, rates and the interval of the difference from the real events', async () => {
    // The likes and comments must be on Kafka before the report reads up to the end offsets.
    const postIds = new Set([...returned, notReturned].map((post) => post.id));
    await eventually(
      async () => {
        const likes = await readTopicToEnd(Topics.posts, (message) => postIds.has(message.key ?? '') && message.headers['event-type'] === 'post.liked');
        const comments = await readTopicToEnd(Topics.comments, (message) => postIds.has(message.key ?? '') && message.headers['event-type'] === 'comment.created');
        return envelopesOf(likes, 'post.liked').length === 3 && envelopesOf(comments, 'comment.created').length === 3 ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'the likes and comments on Kafka' },
    );
    const report = await experimentReport('NAME=search-ranking', `SINCE=${since.toISOString()}`);
    expect(report).toMatchObject({ code: 0 });
    const row = (variant: Variant) => report.stdout.match(new RegExp(`^${variant} +(\\d+) +(\\d+) +([\\d.]+) % +\\[([\\d.]+) %, ([\\d.]+) %\\]$`, 'm'))?.slice(1);
    // Control: 1 of 3 (the comment on a post not returned does not count); treatment: 2 of 3.
    // Wilson intervals and Newcombe's difference as statsmodels 0.13.5 computes them for 1/3 and 2/3.
    expect(row('control')).toEqual(['3', '1', '33.33', '6.15', '79.23']);
    expect(row('treatment')).toEqual(['3', '2', '66.67', '20.77', '93.85']);
    expect(report.stdout).toMatch(/^treatment - control: \+33\.33 points, 95 % CI \[-31\.58, \+71\.78\] points \(Newcombe hybrid score\)$/m);
    expect(report.stdout).toContain('Not in the figures: 1 anonymous subject (they cannot like or comment), 0 users exposed to more than one variant.');
  });

  it('says so when there is no data, and fails with a clear message on an unknown experiment', async () => {
    const empty = await experimentReport('NAME=search-ranking', 'SINCE=2999-01-01');
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/No exposures of search-ranking on experiments\.exposures\.v1 since 2999-01-01T00:00:00\.000Z \(\d+ events read\): nothing to report yet\./);
    const unknown = await experimentReport('NAME=no-such-experiment');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('experiment-report: unknown experiment "no-such-experiment"; the known ones: search-ranking');
  });
});
