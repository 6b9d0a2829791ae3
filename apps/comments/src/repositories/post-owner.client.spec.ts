import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AppLogger, problemFor, runWithContext } from '@app/platform';
import { PostOwnerClient } from './post-owner.client.js';

const quiet = { info: () => undefined, warn: () => undefined } as unknown as AppLogger;

describe('PostOwnerClient', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  /** A fake posts service; returns a client to it and the requests it saw. */
  async function posts(handler: (request: IncomingMessage, response: ServerResponse) => void, url?: string) {
    const seen: IncomingMessage[] = [];
    const server = createServer((request, response) => {
      seen.push(request);
      handler(request, response);
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const base = url ?? `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new PostOwnerClient({ POSTS_URL: [base], COMMENTS_POSTS_TIMEOUT_MS: 300, COMMENTS_POSTS_CONNECTIONS: 2 }, quiet);
    closers.push(() => new Promise<void>((done) => server.close(() => done())));
    closers.push(() => client.onApplicationShutdown());
    return { client, seen };
  }
  const json = (response: ServerResponse, status: number, body: unknown, type = 'application/json') => response.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));

  it('reads a live post and its author from GET /posts/{id}, without the caller token', async () => {
    const { client, seen } = await posts((request, response) => json(response, 200, { id: '42', author: { id: '7', username: 'ada' }, text: 'hi' }));
    const answer = await runWithContext({ requestId: 'r-9', authorization: 'Bearer secret' }, () => client.ask('42'));
    expect(answer).toEqual({ kind: 'live', post: { postId: '42', authorId: '7' } });
    expect(seen[0].url).toBe('/posts/42');
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(seen[0].headers['x-request-id']).toBe('r-9');
  });

  it("takes posts' POST_NOT_FOUND as absent, but any other failure as no answer", async () => {
    let problem = problemFor('POST_NOT_FOUND', 'No such post.');
    const { client } = await posts((_request, response) => json(response, problem.status, problem, 'application/problem+json'));
    expect(await client.ask('42')).toEqual({ kind: 'absent' });
    problem = problemFor('ROUTE_NOT_FOUND', 'No route.');
    expect(await client.ask('42')).toEqual({ kind: 'unreachable' });
    problem = problemFor('INTERNAL', 'Oops.');
    expect(await client.ask('42')).toEqual({ kind: 'unreachable' });
  });

  it('answers unreachable for a refused connection, a timeout and a body that is not the post', async () => {
    const refused = await posts(() => undefined, 'http://127.0.0.1:9');
    expect(await refused.client.ask('42')).toEqual({ kind: 'unreachable' });
    const silent = await posts(() => undefined);
    expect(await silent.client.ask('42')).toEqual({ kind: 'unreachable' });
    const other = await posts((_request, response) => json(response, 200, { id: '43', author: { id: '7' } }));
    expect(await other.client.ask('42')).toEqual({ kind: 'unreachable' });
  });

  it('shares one request among concurrent questions about one post', async () => {
    const { client, seen } = await posts((_request, response) => setTimeout(() => json(response, 200, { id: '42', author: { id: '7' } }), 50));
    const answers = await Promise.all([client.ask('42'), client.ask('42'), client.ask('42')]);
    expect(answers.every((answer) => answer.kind === 'live')).toBe(true);
    expect(seen).toHaveLength(1);
    await client.ask('42');
    expect(seen).toHaveLength(2);
  });
});
