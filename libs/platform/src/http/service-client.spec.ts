import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError, type ErrorCode } from '../errors/error-codes.js';
import { problemFor, ProblemError } from '../errors/problem.js';
import { runWithContext } from '../logging/request-context.js';
import { ServiceClient, UpstreamProblemError } from './service-client.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A real HTTP service on a free port, remembering the requests it saw. */
interface FakeService {
  url: string;
  seen: IncomingMessage[];
  close(): Promise<void>;
}

async function serve(handler: Handler): Promise<FakeService> {
  const seen: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    seen.push(request);
    // The client may cut a connection short (oversized or stalled body); that is the point, not a failure.
    response.on('error', () => undefined);
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Stalled answers would otherwise keep close() waiting forever.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The error a call failed with; fails the test when the call succeeds. */
async function rejection(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

async function expectDomainError(call: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await rejection(call);
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
}

/** Writes the parts with a pause between them, so that they reach the client as separate chunks. */
function writeInParts(response: ServerResponse, parts: Buffer[], pauseMs = 20): void {
  const [first, ...rest] = parts;
  if (first === undefined) {
    response.end();
    return;
  }
  response.write(first);
  setTimeout(() => writeInParts(response, rest, pauseMs), pauseMs);
}

function sendJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  response.writeHead(status, { 'content-type': contentType }).end(JSON.stringify(body));
}

describe('ServiceClient', () => {
  let service: FakeService | undefined;
  let client: ServiceClient | undefined;

  /** A fake posts service with the given handler, and a client to it. */
  async function start(handler: Handler, timeoutMs = 1_000): Promise<ServiceClient> {
    service = await serve(handler);
    client = new ServiceClient('posts', service.url, timeoutMs, 4);
    return client;
  }

  afterEach(async () => {
    await client?.close();
    await service?.close();
    client = undefined;
    service = undefined;
  });

  describe('answers', () => {
    it('relays the exact bytes, also when sent in chunks that split multi-byte characters', async () => {
      const body = Buffer.from(JSON.stringify({ items: [{ text: 'Привет, мир 👋🏽 — ещё раз 🚀' }] }), 'utf8');
      // Cut inside the first Cyrillic letter and inside the emoji: decoding chunk by chunk would corrupt both.
      const cyrillic = body.indexOf(Buffer.from('П'));
      const emoji = body.indexOf(Buffer.from('👋'));
      const parts = [body.subarray(0, cyrillic + 1), body.subarray(cyrillic + 1, emoji + 2), body.subarray(emoji + 2)];
      const posts = await start((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        writeInParts(response, parts);
      });

      const relayed = await posts.relay('GET', '/posts');

      expect(relayed.equals(body)).toBe(true);
      expect(JSON.parse(relayed.toString('utf8'))).toEqual({ items: [{ text: 'Привет, мир 👋🏽 — ещё раз 🚀' }] });
    });

    it('relays a body in one piece as it is', async () => {
      const body = Buffer.from('{"items":[],"nextCursor":null}');
      const posts = await start((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' }).end(body);
      });

      expect((await posts.relay('GET', '/posts')).equals(body)).toBe(true);
    });

    it('parses a JSON answer into status and body', async () => {
      const posts = await start((_request, response) => sendJson(response, 201, { id: '42', text: 'hé ✓' }));

      await expect(posts.request('POST', '/posts', { body: { text: 'hé ✓' } })).resolves.toEqual({ status: 201, body: { id: '42', text: 'hé ✓' } });
    });

    it('gives an undefined body for an empty 204 answer', async () => {
      const posts = await start((_request, response) => {
        response.writeHead(204).end();
      });

      const answer = await posts.request('DELETE', '/posts/42');

      expect(answer.status).toBe(204);
      expect(answer.body).toBeUndefined();
    });
  });

  describe('failures', () => {
    it("passes a service's problem answer on as a ProblemError with the same problem", async () => {
      const problem = { ...problemFor('POST_NOT_FOUND', 'Post 42 does not exist.', 'r-up'), instance: '/posts/42' };
      const posts = await start((_request, response) => sendJson(response, 404, problem, 'application/problem+json; charset=utf-8'));

      const error = await rejection(posts.request('GET', '/posts/42'));

      expect(error).toBeInstanceOf(ProblemError);
      expect((error as ProblemError).problem).toEqual(problem);
    });

    it('also fails relay() with the problem, rather than relaying it as a page', async () => {
      const problem = problemFor('VALIDATION_FAILED', 'Invalid field(s): limit', undefined, [{ field: 'limit', message: 'must not be greater than 100' }]);
      const posts = await start((_request, response) => sendJson(response, 400, problem, 'application/problem+json'));

      const error = await rejection(posts.relay('GET', '/posts', { query: { limit: 500 } }));

      expect(error).toBeInstanceOf(ProblemError);
      expect((error as ProblemError).problem).toEqual(problem);
    });

    it('turns a 500 without a problem body into UPSTREAM_UNAVAILABLE', async () => {
      const posts = await start((_request, response) => sendJson(response, 500, { error: 'db.internal:5432 refused' }));

      const error = await rejection(posts.request('GET', '/posts'));

      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('UPSTREAM_UNAVAILABLE');
      // The service's own text must not reach the client.
      expect((error as DomainError).message).not.toContain('db.internal');
    });

    it('turns an unreadable success body into UPSTREAM_UNAVAILABLE', async () => {
      const posts = await start((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy error</html>');
      });

      await expectDomainError(posts.request('GET', '/posts'), 'UPSTREAM_UNAVAILABLE');
    });

    it('times out with UPSTREAM_TIMEOUT when the service sends no headers', async () => {
      // Never answers.
      const posts = await start(() => undefined, 200);

      await expectDomainError(posts.request('GET', '/posts'), 'UPSTREAM_TIMEOUT');
    });

    it('times out with UPSTREAM_TIMEOUT when the body stalls after the headers', async () => {
      const posts = await start((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"items":[');
      }, 200);

      await expectDomainError(posts.relay('GET', '/posts'), 'UPSTREAM_TIMEOUT');
    });

    it('reports a refused connection as UPSTREAM_UNAVAILABLE', async () => {
      // A port that was free a moment ago and has nobody listening now.
      const gone = await serve(() => undefined);
      await gone.close();
      client = new ServiceClient('posts', gone.url, 500, 4);

      await expectDomainError(client.request('GET', '/posts'), 'UPSTREAM_UNAVAILABLE');
    });

    it('aborts a body larger than 8 MiB with UPSTREAM_UNAVAILABLE', async () => {
      const posts = await start((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.alloc(8 * 1024 * 1024 + 1, 0x20));
      }, 5_000);

      await expectDomainError(posts.relay('GET', '/posts'), 'UPSTREAM_UNAVAILABLE');
    });

    it('still takes a body of exactly 8 MiB', async () => {
      const posts = await start((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.alloc(8 * 1024 * 1024, 0x20));
      }, 5_000);

      expect((await posts.relay('GET', '/posts')).length).toBe(8 * 1024 * 1024);
    });
  });

  describe('what the service receives', () => {
    it("forwards the request context's id and authorization", async () => {
      const posts = await start((_request, response) => sendJson(response, 200, { items: [] }));

      await runWithContext({ requestId: 'r-1', authorization: 'Bearer t' }, () => posts.request('GET', '/posts'));

      const [seen] = service!.seen;
      expect(seen.headers['x-request-id']).toBe('r-1');
      expect(seen.headers.authorization).toBe('Bearer t');
      expect(seen.headers.accept).toBe('application/json');
    });

    it('keeps the authorization back from an anonymous request, but not the request id', async () => {
      const posts = await start((_request, response) => sendJson(response, 200, { items: [] }));

      await runWithContext({ requestId: 'r-2', authorization: 'Bearer t' }, () => posts.request('GET', '/posts/42', { anonymous: true }));

      const [seen] = service!.seen;
      expect(seen.headers['x-request-id']).toBe('r-2');
      expect(seen.headers.authorization).toBeUndefined();
    });

    it('sends neither header outside a request context', async () => {
      const posts = await start((_request, response) => sendJson(response, 200, { items: [] }));

      await posts.request('GET', '/posts');

      const [seen] = service!.seen;
      expect(seen.headers['x-request-id']).toBeUndefined();
      expect(seen.headers.authorization).toBeUndefined();
    });

    it('sends a body as JSON', async () => {
      let received = '';
      const posts = await start((request, response) => {
        request.setEncoding('utf8');
        request.on('data', (chunk: string) => (received += chunk));
        request.on('end', () => sendJson(response, 201, { id: '1' }));
      });

      await posts.request('POST', '/posts', { body: { text: 'ёж 🦔' } });

      expect(service!.seen[0].headers['content-type']).toBe('application/json');
      expect(JSON.parse(received)).toEqual({ text: 'ёж 🦔' });
    });

    it('encodes a query object into the path, leaving out undefined values', async () => {
      const posts = await start((_request, response) => sendJson(response, 200, { items: [] }));

      await posts.request('GET', '/posts', { query: { limit: 5, cursor: undefined } });
      await posts.request('GET', '/posts', { query: { cursor: undefined } });
      await posts.request('GET', '/search', { query: { q: 'a&b=c', exact: true } });

      expect(service!.seen.map((request) => request.url)).toEqual(['/posts?limit=5', '/posts', '/search?q=a%26b%3Dc&exact=true']);
    });

    it('passes a raw query string on as it is', async () => {
      const posts = await start((_request, response) => sendJson(response, 200, { items: [] }));

      await posts.relay('GET', '/posts/search', { query: 'q=caf%C3%A9&limit=2&tag=a&tag=b' });

      expect(service!.seen[0].url).toBe('/posts/search?q=caf%C3%A9&limit=2&tag=a&tag=b');
    });
  });

  describe('client address and Retry-After (login throttling)', () => {
    it('sends X-Forwarded-For only when the caller gives a client address', async () => {
      const users = await start((_request, response) => sendJson(response, 200, { ok: true }));
      await users.request('POST', '/auth/login', { body: { login: 'a' }, clientIp: '127.9.8.7' });
      await users.request('GET', '/users/me');
      expect(service!.seen[0].headers['x-forwarded-for']).toBe('127.9.8.7');
      expect(service!.seen[1].headers['x-forwarded-for']).toBeUndefined();
    });

    it('keeps the Retry-After of a 429 problem on the error it throws', async () => {
      const problem = problemFor('RATE_LIMITED', 'Too many failed logins; retry in 900 s.', 'r-429');
      const users = await start((_request, response) => {
        response.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '900' }).end(JSON.stringify(problem));
      });
      const error = await rejection(users.request('POST', '/auth/login', { body: {} }));
      expect(error).toBeInstanceOf(UpstreamProblemError);
      expect(error).toBeInstanceOf(ProblemError);
      expect((error as UpstreamProblemError).retryAfter).toBe('900');
      expect((error as UpstreamProblemError).problem).toEqual(problem);
    });
  });

  describe('replicas', () => {
    /** An address nobody listens on: a replica that was killed. */
    async function deadUrl(): Promise<string> {
      const gone = await serve(() => undefined);
      await gone.close();
      return gone.url;
    }

    const replicaClients: ServiceClient[] = [];
    const replicaServices: FakeService[] = [];
    afterEach(async () => {
      await Promise.all(replicaClients.splice(0).map((each) => each.close()));
      await Promise.all(replicaServices.splice(0).map((each) => each.close()));
    });

    function replicated(urls: string[], healthIntervalMs = 100): { client: ServiceClient; changes: [string, boolean][] } {
      const changes: [string, boolean][] = [];
      const created = new ServiceClient('graph', urls, 1_000, 4, { healthIntervalMs, onReplicaChange: (origin, inRotation) => changes.push([origin, inRotation]) });
      replicaClients.push(created);
      return { client: created, changes };
    }

    async function healthy(): Promise<FakeService> {
      const started = await serve((request, response) => sendJson(response, 200, { from: 'alive', path: request.url }));
      replicaServices.push(started);
      return started;
    }

    it('retries a GET once on the other replica when its connection fails, so every read succeeds', async () => {
      const alive = await healthy();
      const { client: graph } = replicated([await deadUrl(), alive.url], 60_000);
      const answers = await Promise.all(Array.from({ length: 10 }, () => graph.request<{ from: string }>('GET', '/users/ada')));
      expect(answers.map((answer) => answer.body.from)).toEqual(Array(10).fill('alive'));
    });

    it('never sends a POST twice: one whose connection failed is a 503', async () => {
      const alive = await healthy();
      const { client: graph } = replicated([await deadUrl(), alive.url], 60_000);
      // Round robin starts at the first replica, the dead one.
      await expectDomainError(graph.request('POST', '/follows', { body: { followee: 'ada' } }), 'UPSTREAM_UNAVAILABLE');
      expect(alive.seen.filter((request) => request.method === 'POST')).toHaveLength(0);
    });

    it('takes a replica whose /health/ready is not 200 out of rotation and brings it back when it is', async () => {
      let ready = true;
      const flaky = await serve((request, response) => {
        if (request.url === '/health/ready') sendJson(response, ready ? 200 : 503, {});
        else sendJson(response, 200, { from: 'flaky' });
      });
      replicaServices.push(flaky);
      const steady = await healthy();
      const { client: graph, changes } = replicated([flaky.url, steady.url], 50);
      ready = false;
      await new Promise((wait) => setTimeout(wait, 300));
      const whileOut = await Promise.all(Array.from({ length: 8 }, () => graph.request<{ from: string }>('POST', '/follows', { body: {} })));
      expect(whileOut.every((answer) => answer.body.from === 'alive')).toBe(true);
      ready = true;
      await new Promise((wait) => setTimeout(wait, 300));
      const afterwards = await Promise.all(Array.from({ length: 8 }, () => graph.request<{ from: string }>('GET', '/users/ada')));
      expect(afterwards.some((answer) => answer.body.from === 'flaky')).toBe(true);
      expect(changes).toEqual([
        [new URL(flaky.url).origin, false],
        [new URL(flaky.url).origin, true],
      ]);
    });
  });

  describe('a canary beside the replicas', () => {
    const opened: { close(): Promise<void> }[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((each) => each.close()));
    });

    async function named(from: string): Promise<FakeService> {
      const started = await serve((_request, response) => sendJson(response, 200, { from }));
      opened.push(started);
      return started;
    }

    async function setUp(): Promise<{ posts: ServiceClient; canary: FakeService }> {
      const stable = await named('stable');
      const canary = await named('canary');
      const posts = new ServiceClient('posts', [stable.url], 1_000, 4);
      opened.push(posts);
      return { posts, canary };
    }

    const from = async (posts: ServiceClient, count: number, override?: 'always' | 'never') =>
      Promise.all(Array.from({ length: count }, () => runWithContext({ requestId: 'r', canary: override }, async () => (await posts.request<{ from: string }>('GET', '/posts/1')).body.from)));

    it('gets its share of the requests, all of them at 100 % and none once removed', async () => {
      const { posts, canary } = await setUp();
      posts.setCanary(canary.url, 100);
      expect(new Set(await from(posts, 10))).toEqual(new Set(['canary']));
      posts.setCanary(canary.url, 30);
      const split = await from(posts, 400);
      const share = split.filter((answer) => answer === 'canary').length / split.length;
      // 30 % of 400: the standard deviation is 2.3 points; 8 points either side never fails by chance.
      expect(share).toBeGreaterThan(0.22);
      expect(share).toBeLessThan(0.38);
      expect(posts.canaryTarget).toEqual({ url: new URL(canary.url).origin, percent: 30 });
      posts.setCanary(undefined, 0);
      expect(new Set(await from(posts, 10))).toEqual(new Set(['stable']));
      expect(posts.canaryTarget).toBeUndefined();
    });

    it('follows the caller: always to the canary, never to the stable replicas, whatever the share', async () => {
      const { posts, canary } = await setUp();
      posts.setCanary(canary.url, 0);
      expect(new Set(await from(posts, 10, 'always'))).toEqual(new Set(['canary']));
      posts.setCanary(canary.url, 100);
      expect(new Set(await from(posts, 10, 'never'))).toEqual(new Set(['stable']));
    });

    it('sends a GET to the stable replicas when the canary refuses the connection, and fails a POST', async () => {
      const { posts } = await setUp();
      const gone = await serve(() => undefined);
      await gone.close();
      posts.setCanary(gone.url, 100);
      expect(new Set(await from(posts, 5))).toEqual(new Set(['stable']));
      await expectDomainError(posts.request('POST', '/posts', { body: { text: 'x' } }), 'UPSTREAM_UNAVAILABLE');
    });
  });
});
