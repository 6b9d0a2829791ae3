/**
 * Per-request code the restructuring (issue #13) and the edge hardening
 * (issue #12) changed, measured in one process against the 1511baf versions
 * (micro/old-1511baf.ts), interleaved round by round (docs/benchmarks.md,
 * "Where the gateway's +0.05 ms comes from"). No service, database or
 * broker is needed.
 *
 *   node dist/scripts/bench/hot-path-micro.js [--rounds N] [--warmup N] [--only TEXT]
 */
import { parseArgs } from 'node:util';
import { type AuthorView, encodeIdCursor, hasVisibleText, idFromCursor, PageQueryDto, toUserView } from '@app/api';
import { BoundedCache, type Caller, createValidationPipe, TOKEN_AUDIENCE, TOKEN_ISSUER, TokenVerifier } from '@app/platform';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { installInputHooks } from '../../libs/platform/src/http/input-hooks.js';
import { exceedsJsonDepth, findUnsafeParameter, findUnsafeText } from '../../libs/platform/src/http/input-screen.js';
import { installJsonBodyParser } from '../../libs/platform/src/http/json-body.js';
import { keep, measure, type MicroCase, report, type Summary } from './micro/harness.js';
import {
  createOldValidationPipe,
  installOldJsonBodyParser,
  OldAuthorCache,
  OldBoundedMap,
  OldCelebrityLocal,
  oldCursorId,
  OldTokenVerifier,
  oldUsersToUserView,
} from './micro/old-1511baf.js';

const HELP = `hot-path-micro.js [--rounds N] [--warmup N] [--only TEXT]
  --rounds N   measured rounds; medians over them are reported (default 61)
  --warmup N   rounds run first and discarded (default 10)
  --only TEXT  only the cases whose name contains TEXT`;

/** The twin A/B's CPU per request (docs/benchmarks.md), to put the deltas in proportion. */
const AB_GATEWAY_NS = 559_000;
const AB_POSTS_NS = 1_293_000;

/** Settings of the caches measured: production sizes (.env.example). */
const POST_CONTENT_LOCAL_ENTRIES = 50_000;
/** Longer than a run, so that no entry goes stale while measured (a lookup costs the same either way). */
const AUTHOR_CACHE_TTL_MS = 3_600_000;
const PAGE_SIZE = 20;

/** Snowflake-like ids, newest first. */
const ids = (count: number, from = 7_300_000_000_000_000_000n) => Array.from({ length: count }, (_, index) => String(from - BigInt(index) * 4_096n));

/** A deterministic shuffle (same order for both sides). */
function shuffled<T>(values: T[], seed = 1): T[] {
  const out = [...values];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

async function tokenCases(): Promise<MicroCase[]> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const verifier = new TokenVerifier({ JWT_PUBLIC_KEY: await exportSPKI(publicKey) });
  const signatureCheck = (verifier as unknown as { verifySignature(token: string): Promise<{ caller: Caller; expiresAtMs: number }> }).verifySignature.bind(verifier);
  const old = new OldTokenVerifier(signatureCheck);
  const exp = Math.floor(Date.now() / 1000) + 3_600;
  // 2,000 signed-in users active at once, each token verified once before the timing (a warm cache).
  const tokens = await Promise.all(
    ids(2_000).map((sub, index) =>
      new SignJWT({ preferred_username: `user${index}` })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject(sub)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(privateKey),
    ),
  );
  for (const token of tokens) {
    await verifier.verify(token);
    await old.verify(token);
  }
  const order = shuffled(tokens);
  const hits = (side: { verify(token: string): Promise<Caller> }) => async (ops: number) => {
    let last: Caller | undefined;
    for (let i = 0; i < ops; i++) last = await side.verify(order[i % order.length]);
    return last;
  };

  // Storing a newly verified token into a full cache (once per token, i.e. per user per token lifetime).
  const caller: Caller = { id: '7300000000000000000', username: 'ada' };
  const oldStore = new Map<string, { caller: Caller; expiresAtMs: number }>();
  const newStore = new BoundedCache<string, Caller>({ name: 'bench-verified-tokens', maxEntries: 10_000 });
  let serial = 0;
  const expiresAtMs = Date.now() + 3_600_000;
  for (let i = 0; i < 10_000; i++) {
    oldStore.set(`fill-${i}`, { caller, expiresAtMs });
    newStore.set(`fill-${i}`, caller, expiresAtMs - Date.now());
  }
  return [
    { name: 'token verifier: cached token (each authenticated request, gateway and service)', issue: '#13', ops: 20_000, old: hits(old), current: hits(verifier) },
    {
      name: 'token verifier: a newly verified token stored, cache full',
      issue: '#13',
      ops: 2_000,
      old: (ops) => {
        for (let i = 0; i < ops; i++) {
          // 1511baf token-verifier.ts, the two lines after the signature check.
          if (oldStore.size >= 10_000) oldStore.delete(oldStore.keys().next().value as string);
          oldStore.set(`t${serial++}`, { caller, expiresAtMs });
        }
        return oldStore.size;
      },
      current: (ops) => {
        // HEAD token-verifier.ts: the entry lives as long as the token.
        for (let i = 0; i < ops; i++) newStore.set(`t${serial++}`, caller, expiresAtMs - Date.now());
        return newStore.size;
      },
    },
  ];
}

function queryMemoryCase(): MicroCase {
  const oldPipe = createOldValidationPipe();
  const newPipe = createValidationPipe();
  const metadata = { type: 'query' as const, metatype: PageQueryDto, data: undefined };
  // Fastify's parsed query of posts' GET /feed: first pages and 49 next pages.
  const queries: Record<string, string>[] = [{ limit: '20' }, ...ids(49).map((id) => ({ limit: '20', cursor: encodeIdCursor(id) }))];
  const order = shuffled(Array.from({ length: 1_000 }, (_, index) => queries[index % queries.length]));
  const run = (pipe: typeof oldPipe) => async (ops: number) => {
    let last: unknown;
    for (let i = 0; i < ops; i++) last = await pipe.transform({ ...order[i % order.length] }, metadata);
    return last;
  };
  return { name: "validation pipe: a remembered query (posts' GET /feed)", issue: '#13', ops: 10_000, old: run(oldPipe), current: run(newPipe) };
}

/**
 * The warm path of HEAD's apps/posts/src/post-views/services/author-cache.ts
 * (byIds and remember; the background refresh left out as in the old copy).
 * Rebuilt here because scripts, like apps, import no app (eslint's rule).
 */
class CurrentAuthorCache {
  private readonly entries = new BoundedCache<string, { author: AuthorView; expiresAt: number }>({ name: 'bench-authors', maxEntries: 50_000 });
  private readonly stale = new Set<string>();

  constructor(private readonly ttlMs: number) {}

  byIds(ids: Iterable<string>): Promise<Map<string, AuthorView>> {
    const now = Date.now();
    const found = new Map<string, AuthorView>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const entry = this.entries.get(id);
      if (!entry) {
        missing.push(id);
        continue;
      }
      found.set(id, entry.author);
      if (entry.expiresAt <= now) this.stale.add(id);
    }
    if (missing.length === 0) return Promise.resolve(found);
    throw new Error(`the benchmark reads warm authors only (${missing.length} missing)`);
  }

  remember(author: AuthorView, now: number): void {
    this.entries.set(author.id, { author, expiresAt: now + this.ttlMs });
  }
}

interface ContentLike {
  id: string;
  text: string;
}

function postsCases(): MicroCase[] {
  const postIds = ids(POST_CONTENT_LOCAL_ENTRIES);
  const oldContents = new OldBoundedMap<string, ContentLike>(POST_CONTENT_LOCAL_ENTRIES);
  const newContents = new BoundedCache<string, ContentLike>({ name: 'bench-post-contents', maxEntries: POST_CONTENT_LOCAL_ENTRIES });
  for (const id of [...postIds].reverse()) {
    const content = { id, text: `post ${id}` };
    oldContents.set(id, content);
    newContents.set(id, content);
  }
  // Pages show recent posts: lookups among the newest 2,000.
  const lookups = shuffled(postIds.slice(0, 2_000), 2);
  const contentLookups = (cache: { get(key: string): ContentLike | undefined }) => (ops: number) => {
    let found = 0;
    for (let i = 0; i < ops; i++) if (cache.get(lookups[i % lookups.length])) found++;
    return found;
  };

  // 962 authors (the Reed98 graph); a page's 20 posts by 12 of them.
  const authorIds = ids(962, 7_200_000_000_000_000_000n);
  const authors = authorIds.map((id, index): AuthorView => ({ id, username: `user${index}`, displayName: `User ${index}` }));
  const oldAuthors = new OldAuthorCache(AUTHOR_CACHE_TTL_MS);
  const newAuthors = new CurrentAuthorCache(AUTHOR_CACHE_TTL_MS);
  for (const author of authors) {
    oldAuthors.remember(author, Date.now());
    newAuthors.remember(author, Date.now());
  }
  const pages = Array.from({ length: 100 }, (_, page) => Array.from({ length: PAGE_SIZE }, (_, post) => authorIds[(page * 7 + (post % 12) * 31) % authorIds.length]));
  const authorPages = (cache: { byIds(ids: Iterable<string>): Promise<Map<string, AuthorView>> }) => async (ops: number) => {
    let last: unknown;
    for (let i = 0; i < ops; i++) last = await cache.byIds(pages[i % pages.length]);
    return last;
  };

  // Celebrity lists in the local layer: a reader following 5 celebrities. The TTL is set long so
  // that every lookup is a hit during the run; a lookup's cost does not depend on its length.
  const celebrities = authorIds.slice(0, 50);
  const ttlMs = 600_000;
  const oldCelebrities = new OldCelebrityLocal();
  const newCelebrities = new BoundedCache<string, string[]>({ name: 'bench-celebrity-posts', maxEntries: 10_000, ttlMs });
  const lists = new Map(celebrities.map((id): [string, string[]] => [id, postIds.slice(0, 100)]));
  oldCelebrities.remember(lists, Date.now(), ttlMs);
  for (const [id, list] of lists) newCelebrities.set(id, list);
  const readers = Array.from({ length: 100 }, (_, reader) => Array.from({ length: 5 }, (_, k) => celebrities[(reader + k * 11) % celebrities.length]));

  const cursors = ids(500).map(encodeIdCursor);
  const userRow = { id: authorIds[0], username: 'ada_l', displayName: 'Ada', bio: 'Counts things.', createdAt: new Date('2026-11-01T10:00:00Z'), email: 'ada@example.com' };
  const counts = { followersCount: 120, followingCount: 80, postsCount: 42 };
  return [
    { name: 'post contents in memory: one lookup (40 per feed page: post cache + page JSON)', issue: '#13', ops: 200_000, old: contentLookups(oldContents), current: contentLookups(newContents) },
    { name: 'author cache: byIds of a 20-post page (1 per feed page)', issue: '#13', ops: 5_000, old: authorPages(oldAuthors), current: authorPages(newAuthors) },
    {
      name: "celebrity lists, local layer: 5 celebrities' lookups (1 per feed page)",
      issue: '#13',
      ops: 20_000,
      old: (ops) => {
        let found = 0;
        for (let i = 0; i < ops; i++) found += oldCelebrities.lookup(readers[i % readers.length]).found.size;
        return found;
      },
      current: (ops) => {
        let found = 0;
        for (let i = 0; i < ops; i++) {
          // HEAD apps/posts/src/feed/repositories/celebrity-posts.cache.ts, getMany's local loop.
          const map = new Map<string, string[]>();
          const remote: string[] = [];
          for (const id of readers[i % readers.length]) {
            const list = newCelebrities.get(id);
            if (list) map.set(id, list);
            else remote.push(id);
          }
          found += map.size;
        }
        return found;
      },
    },
    {
      name: 'page cursor to id (1 per next page)',
      issue: '#13',
      ops: 20_000,
      old: (ops) => {
        let last: string | undefined;
        for (let i = 0; i < ops; i++) last = oldCursorId(cursors[i % cursors.length]);
        return last;
      },
      current: (ops) => {
        let last: string | undefined;
        for (let i = 0; i < ops; i++) last = idFromCursor(cursors[i % cursors.length]);
        return last;
      },
    },
    {
      name: "toUserView in users (GET /users/{name}; not in the A/B's mix)",
      issue: '#13',
      ops: 20_000,
      old: (ops) => {
        let last: unknown;
        for (let i = 0; i < ops; i++) last = oldUsersToUserView(userRow, counts);
        return last;
      },
      current: (ops) => {
        const withCounts = { ...userRow, ...counts };
        let last: unknown;
        for (let i = 0; i < ops; i++) last = toUserView(withCounts);
        return last;
      },
    },
  ];
}

const POST_TEXT = 'Reading about #distributed systems with @grace_h this morning; the chapter on clocks is the best so far. Anyone else? #reading';
const POST_BODY = JSON.stringify({ text: POST_TEXT });

function hardeningCases(): MicroCase[] {
  const parsedBody = JSON.parse(POST_BODY) as unknown;
  const feedQuery = { limit: '20', cursor: encodeIdCursor('7300000000000000000') };
  const postParams = { id: '7300000000000000000' };
  const each = (ops: number, work: () => unknown) => {
    let last: unknown;
    for (let i = 0; i < ops; i++) last = work();
    return last;
  };
  return [
    { name: 'JSON depth check of a POST /posts body', issue: '#12', ops: 20_000, current: (ops) => each(ops, () => exceedsJsonDepth(POST_BODY)) },
    { name: 'NUL/surrogate screening of the parsed POST /posts body', issue: '#12', ops: 20_000, current: (ops) => each(ops, () => findUnsafeText(parsedBody)) },
    {
      name: 'NUL/surrogate screening of path and query (GET /feed?limit&cursor)',
      issue: '#12',
      ops: 20_000,
      current: (ops) => each(ops, () => findUnsafeParameter({}) ?? findUnsafeParameter(feedQuery)),
    },
    { name: 'NUL/surrogate screening of path and query (GET /posts/{id})', issue: '#12', ops: 20_000, current: (ops) => each(ops, () => findUnsafeParameter(postParams) ?? findUnsafeParameter({})) },
    { name: 'visible-text rule on a post text (validation of POST /posts)', issue: '#12', ops: 20_000, current: (ops) => each(ops, () => hasVisibleText(POST_TEXT)) },
  ];
}

/** A bare Fastify with the old or the new body parser and input hooks, routes answering at once. */
async function edgeApp(kind: 'old' | 'current'): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
  if (kind === 'old') installOldJsonBodyParser(app, 16 * 1024);
  else {
    installJsonBodyParser(app, 16 * 1024);
    installInputHooks(app);
  }
  app.get('/api/v1/feed', () => ({ items: [], nextCursor: null }));
  app.get('/api/v1/posts/:id', (request) => ({ id: (request.params as { id: string }).id }));
  app.post('/api/v1/posts', (request) => ({ text: (request.body as { text: string }).text }));
  await app.ready();
  return app;
}

async function wholeRequestCases(): Promise<MicroCase[]> {
  const old = await edgeApp('old');
  const current = await edgeApp('current');
  const injecting = (app: FastifyInstance, options: InjectOptions) => async (ops: number) => {
    let status = 0;
    for (let i = 0; i < ops; i++) status = (await app.inject(options)).statusCode;
    if (status !== 200) throw new Error(`the edge app answered ${status}`);
    return status;
  };
  const feed = { method: 'GET' as const, url: `/api/v1/feed?limit=20&cursor=${encodeIdCursor('7300000000000000000')}` };
  const post = { method: 'POST' as const, url: '/api/v1/posts', headers: { 'content-type': 'application/json' }, payload: POST_BODY };
  const read = { method: 'GET' as const, url: '/api/v1/posts/7300000000000000000' };
  return [
    { name: 'Fastify inject, GET /feed?limit&cursor: parser + input hooks', issue: '#12', ops: 300, old: injecting(old, feed), current: injecting(current, feed) },
    { name: 'Fastify inject, GET /posts/{id}: parser + input hooks', issue: '#12', ops: 300, old: injecting(old, read), current: injecting(current, read) },
    { name: 'Fastify inject, POST /posts with a body: parser + input hooks', issue: '#12', ops: 300, old: injecting(old, post), current: injecting(current, post) },
  ];
}

function proportions(summaries: Summary[]): void {
  const delta = (prefix: string) => summaries.find((summary) => summary.name.startsWith(prefix))?.delta;
  const share = (ns: number | undefined, of: number) => (ns === undefined ? 'n/a' : `${ns.toFixed(0)} ns = ${((ns / of) * 100).toFixed(3)} %`);
  const token = delta('token verifier: cached');
  // A feed page in posts: its token, its query, 40 content lookups (post cache and page JSON), its authors, celebrities and cursor.
  const pageParts = [token, delta('validation pipe'), delta('post contents'), delta('author cache'), delta('celebrity lists'), delta('page cursor')];
  const [pageToken, pageQuery, contentLookup, authorPage, celebrityLookups, cursor] = pageParts;
  const feedPage = pageParts.some((part) => part === undefined)
    ? undefined
    : pageToken! + pageQuery! + 40 * contentLookup! + authorPage! + celebrityLookups! + cursor!;
  process.stdout.write(
    [
      '',
      `#13 on a gateway request (its cached-token lookup): ${share(token, AB_GATEWAY_NS)} of the twin A/B's ${AB_GATEWAY_NS / 1000} µs`,
      `#13 on a posts feed page (token, query memory, 40 content lookups, authors, celebrities, cursor): ${share(feedPage, AB_POSTS_NS)} of ${AB_POSTS_NS / 1000} µs`,
      `#12 at the gateway's edge, GET /feed: ${share(delta('Fastify inject, GET /feed'), AB_GATEWAY_NS)}; GET /posts/{id}: ${share(delta('Fastify inject, GET /posts'), AB_GATEWAY_NS)}; POST /posts: ${share(delta('Fastify inject, POST'), AB_GATEWAY_NS)}`,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '61' }, warmup: { type: 'string', default: '10' }, only: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const rounds = Number(values.rounds);
  const warmup = Number(values.warmup);
  if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(warmup) || warmup < 0) throw new Error(`--rounds must be 1 or more and --warmup 0 or more\n${HELP}`);
  const all = [...(await tokenCases()), queryMemoryCase(), ...postsCases(), ...hardeningCases(), ...(await wholeRequestCases())];
  const cases = values.only === undefined ? all : all.filter((each) => each.name.includes(values.only!));
  process.stdout.write(`hot-path-micro: ${cases.length} cases, ${warmup} warm-up + ${rounds} measured rounds, Node ${process.version}\n`);
  const results = await measure(cases, rounds, warmup, (round) => {
    if ((round + 1) % 6 === 0) process.stdout.write(`  round ${round + 1}/${warmup + rounds}\n`);
  });
  keep(results);
  proportions(report(results));
}

await main();
