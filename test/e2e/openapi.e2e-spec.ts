/**
 * The OpenAPI document the running gateway serves: valid OpenAPI 3.1, complete
 * for the routes of the contract, and true: every real answer below is checked
 * against the schema the document declares for its status.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { type Account, newAccount } from '../support/accounts.js';
import { api, type ApiResponse, registerBody } from '../support/api.js';
import { gatewayUrl, uniqueUsername } from '../support/env.js';
import { eventually } from '../support/eventually.js';
import { type OpenApiDocument, OpenApiConformance } from '../support/openapi.js';

type AuthMode = 'none' | 'optional' | 'required';

/** Every route of the public API (docs/api.md, "Routes") and how it treats tokens: (auth) required, (opt-auth) optional. */
const CONTRACT_ROUTES: [method: string, path: string, auth: AuthMode][] = [
  // Accounts and auth
  ['post', '/api/v1/auth/register', 'none'],
  ['post', '/api/v1/auth/login', 'none'],
  ['post', '/api/v1/auth/refresh', 'none'],
  ['post', '/api/v1/auth/logout', 'none'],
  ['get', '/api/v1/users/me', 'required'],
  ['patch', '/api/v1/users/me', 'required'],
  ['get', '/api/v1/users/{username}', 'optional'],
  // Social graph
  ['post', '/api/v1/users/{username}/follow', 'required'],
  ['delete', '/api/v1/users/{username}/follow', 'required'],
  ['get', '/api/v1/users/{username}/followers', 'optional'],
  ['get', '/api/v1/users/{username}/following', 'optional'],
  // Posts, likes, feed
  ['post', '/api/v1/posts', 'required'],
  ['get', '/api/v1/posts/{id}', 'optional'],
  ['delete', '/api/v1/posts/{id}', 'required'],
  ['post', '/api/v1/posts/{id}/like', 'required'],
  ['delete', '/api/v1/posts/{id}/like', 'required'],
  ['get', '/api/v1/users/{username}/posts', 'optional'],
  ['get', '/api/v1/feed', 'required'],
  // Comments
  ['post', '/api/v1/posts/{id}/comments', 'required'],
  ['get', '/api/v1/posts/{id}/comments', 'optional'],
  ['delete', '/api/v1/comments/{id}', 'required'],
  // Search
  ['get', '/api/v1/search/posts', 'optional'],
  ['get', '/api/v1/search/users', 'optional'],
];

/** The success status of each contract route and the schema its body has (none for 204). */
const SUCCESS: [method: string, path: string, status: number, schema?: string][] = [
  ['post', '/api/v1/auth/register', 201, 'User'],
  ['post', '/api/v1/auth/login', 200, 'Tokens'],
  ['post', '/api/v1/auth/refresh', 200, 'Tokens'],
  ['post', '/api/v1/auth/logout', 204],
  ['get', '/api/v1/users/me', 200, 'CurrentUser'],
  ['patch', '/api/v1/users/me', 200, 'CurrentUser'],
  ['get', '/api/v1/users/{username}', 200, 'User'],
  ['post', '/api/v1/users/{username}/follow', 204],
  ['delete', '/api/v1/users/{username}/follow', 204],
  ['get', '/api/v1/users/{username}/followers', 200, 'UserPage'],
  ['get', '/api/v1/users/{username}/following', 200, 'UserPage'],
  ['post', '/api/v1/posts', 201, 'Post'],
  ['get', '/api/v1/posts/{id}', 200, 'Post'],
  ['delete', '/api/v1/posts/{id}', 204],
  ['post', '/api/v1/posts/{id}/like', 204],
  ['delete', '/api/v1/posts/{id}/like', 204],
  ['get', '/api/v1/users/{username}/posts', 200, 'PostPage'],
  ['get', '/api/v1/feed', 200, 'PostPage'],
  ['post', '/api/v1/posts/{id}/comments', 201, 'Comment'],
  ['get', '/api/v1/posts/{id}/comments', 200, 'CommentPage'],
  ['delete', '/api/v1/comments/{id}', 204],
  ['get', '/api/v1/search/posts', 200, 'PostPage'],
  ['get', '/api/v1/search/users', 200, 'UserPage'],
];

/** The failures the API documents for each route (401 of (auth) and (opt-auth) routes is checked apart). */
const FAILURES: [method: string, path: string, statuses: number[]][] = [
  ['post', '/api/v1/auth/register', [400, 409]],
  ['post', '/api/v1/auth/login', [401]],
  ['post', '/api/v1/auth/refresh', [401]],
  ['post', '/api/v1/auth/logout', [401]],
  ['patch', '/api/v1/users/me', [400]],
  ['get', '/api/v1/users/{username}', [404]],
  ['post', '/api/v1/users/{username}/follow', [400, 404]],
  ['delete', '/api/v1/users/{username}/follow', [404]],
  ['get', '/api/v1/users/{username}/followers', [400, 404]],
  ['get', '/api/v1/users/{username}/following', [400, 404]],
  ['post', '/api/v1/posts', [400]],
  ['get', '/api/v1/posts/{id}', [400, 404]],
  ['delete', '/api/v1/posts/{id}', [403, 404]],
  ['post', '/api/v1/posts/{id}/like', [404]],
  ['delete', '/api/v1/posts/{id}/like', [404]],
  ['get', '/api/v1/users/{username}/posts', [400, 404]],
  ['get', '/api/v1/feed', [400]],
  ['post', '/api/v1/posts/{id}/comments', [400, 404]],
  ['get', '/api/v1/posts/{id}/comments', [400, 404]],
  ['delete', '/api/v1/comments/{id}', [403, 404]],
  ['get', '/api/v1/search/posts', [400]],
  ['get', '/api/v1/search/users', [400]],
];

const SNOWFLAKE_ID = '^[1-9][0-9]{0,18}$';
const UNKNOWN_ID = '7401234567890123456';

const SECURITY: Record<AuthMode, unknown> = { none: undefined, required: [{ bearer: [] }], optional: [{}, { bearer: [] }] };

let document: OpenApiDocument;
let conformance: OpenApiConformance;

beforeAll(async () => {
  const response = await fetch(`${gatewayUrl}/docs/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  document = (await response.json()) as OpenApiDocument;
  conformance = new OpenApiConformance(document);
});

/** One request through the gateway, checked against the document; `template` names the documented path. */
async function call(
  method: string,
  template: string,
  options: { params?: Record<string, string>; query?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; token?: string } = {},
): Promise<ApiResponse> {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(options.params?.[name] ?? ''));
  const response = await api(method, `${path}${options.query ?? ''}`, options);
  conformance.check(method, template, response);
  return response;
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(document).toMatchObject({ info: { title: 'Warble API', version: expect.any(String) } });
  });

  it('has every route of the contract, with its security, and only /api/v1 routes', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`));
    expect(documented).toEqual(expect.arrayContaining(CONTRACT_ROUTES.map(([method, path]) => `${method} ${path}`)));
    expect(Object.keys(document.paths).filter((path) => !path.startsWith('/api/v1/'))).toEqual([]);
    expect(document.components).toMatchObject({ securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } });
    for (const [method, path, auth] of CONTRACT_ROUTES) {
      const operation = conformance.operation(method, path);
      expect({ route: `${method} ${path}`, security: operation.security }).toEqual({ route: `${method} ${path}`, security: SECURITY[auth] });
      if (auth !== 'none') expect(operation.responses['401']).toBeDefined();
    }
  });

  it('declares the success answer and the failures of every route of the contract', () => {
    expect(SUCCESS.map(([method, path]) => `${method} ${path}`).sort()).toEqual(CONTRACT_ROUTES.map(([method, path]) => `${method} ${path}`).sort());
    for (const [method, path, status, schema] of SUCCESS) {
      const route = `${method} ${path}`;
      const response = conformance.operation(method, path).responses[String(status)];
      expect({ route, status, declared: response !== undefined }).toEqual({ route, status, declared: true });
      expect({ route, schema: response.content?.['application/json']?.schema }).toEqual({ route, schema: schema ? { $ref: `#/components/schemas/${schema}` } : undefined });
      // One success answer per operation: generated clients must not guess.
      expect({ route, successes: Object.keys(conformance.operation(method, path).responses).filter((code) => code.startsWith('2')) }).toEqual({ route, successes: [String(status)] });
    }
    for (const [method, path, statuses] of FAILURES) {
      const route = `${method} ${path}`;
      const responses = conformance.operation(method, path).responses;
      for (const status of statuses) {
        expect({ route, status, problem: Object.keys(responses[String(status)]?.content ?? {}) }).toEqual({ route, status, problem: ['application/problem+json'] });
      }
    }
  });

  it('documents the request bodies and parameters as the gateway validates them', () => {
    const schemas = document.components.schemas;
    expect(schemas.RegisterRequest).toMatchObject({
      required: ['username', 'email', 'password'],
      additionalProperties: false,
      properties: { username: { pattern: '^[A-Za-z0-9_]{3,30}$' }, email: { format: 'email' }, password: { minLength: 8, maxLength: 128 }, displayName: { minLength: 1, maxLength: 50 } },
    });
    expect(schemas.UpdateProfileRequest).toMatchObject({ properties: { bio: { maxLength: 160 } }, additionalProperties: false });
    const search = conformance.operation('get', '/api/v1/search/users').parameters ?? [];
    expect(search).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'q', in: 'query', required: true, schema: expect.objectContaining({ minLength: 1, maxLength: 200 }) }),
        expect.objectContaining({ name: 'limit', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 100, default: 20 }) }),
        expect.objectContaining({ name: 'cursor', in: 'query', required: false }),
      ]),
    );
    expect(conformance.operation('get', '/api/v1/users/{username}').parameters).toEqual([expect.objectContaining({ name: 'username', in: 'path', required: true })]);

    for (const [name, max] of [['CreatePostRequest', 280], ['CreateCommentRequest', 500]] as const) {
      expect({ name, schema: schemas[name] }).toMatchObject({ name, schema: { required: ['text'], additionalProperties: false, properties: { text: { type: 'string', minLength: 1, maxLength: max } } } });
    }
    expect(conformance.operation('post', '/api/v1/posts').requestBody?.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreatePostRequest' });
    expect(conformance.operation('post', '/api/v1/posts/{id}/comments').requestBody?.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateCommentRequest' });
    expect(schemas.Post).toMatchObject({ required: expect.arrayContaining(['id', 'author', 'text', 'createdAt', 'likeCount', 'commentCount', 'likedByMe', 'hashtags', 'mentions']) });
    expect(schemas.Comment).toMatchObject({ required: expect.arrayContaining(['id', 'postId', 'author', 'text', 'createdAt']) });

    // Every {id} is a decimal string; every {username} a username; every list takes limit and cursor.
    for (const [method, path] of CONTRACT_ROUTES) {
      const parameters = conformance.operation(method, path).parameters ?? [];
      const route = `${method} ${path}`;
      for (const name of path.match(/(?<=\{)\w+(?=\})/g) ?? []) {
        const pattern = name === 'id' ? SNOWFLAKE_ID : '^[A-Za-z0-9_]{3,30}$';
        expect({ route, parameter: parameters.find((parameter) => parameter.name === name) }).toEqual({
          route,
          parameter: expect.objectContaining({ in: 'path', required: true, schema: expect.objectContaining({ type: 'string', pattern }) }),
        });
      }
      const success = SUCCESS.find(([m, p]) => m === method && p === path);
      if (success?.[3]?.endsWith('Page')) {
        expect({ route, query: parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name) }).toEqual({
          route,
          query: expect.arrayContaining(['limit', 'cursor', ...(path.includes('/search/') ? ['q'] : [])]),
        });
      }
    }
  });

  it('serves Swagger UI at /docs without a token', async () => {
    const page = await fetch(`${gatewayUrl}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('swagger-ui');
    const init = await fetch(`${gatewayUrl}/docs/swagger-ui-init.js`);
    expect(init.status).toBe(200);
    expect(await init.text()).toContain('Warble API');
    expect((await fetch(`${gatewayUrl}/docs/swagger-ui-bundle.js`)).status).toBe(200);
  });

  it('has a conformance check that fails for an answer that differs from the document', () => {
    const user = { id: '7401234567890123456', username: 'ada_l', displayName: 'Ada', bio: '', createdAt: '2026-01-31T12:00:00.000Z', followersCount: 0, followingCount: 0, postsCount: 0 };
    const answer = (status: number, body: unknown, type = 'application/json'): ApiResponse => ({ status, body, headers: new Headers({ 'content-type': type, 'x-request-id': 'r-1' }) });
    const route = ['GET', '/api/v1/users/{username}'] as const;
    expect(() => conformance.check(...route, answer(200, user))).not.toThrow();
    expect(() => conformance.check(...route, answer(200, { ...user, id: 7401 }))).toThrow(/must be string/);
    expect(() => conformance.check(...route, answer(200, { ...user, passwordHash: 'x' }))).toThrow(/additional properties/);
    expect(() => conformance.check(...route, answer(200, { ...user, createdAt: 'yesterday' }))).toThrow(/date-time/);
    expect(() => conformance.check(...route, answer(418, user))).toThrow(/not documented/);
    expect(() => conformance.check(...route, answer(404, { status: 404 }, 'application/problem+json'))).toThrow(/required property/);
    expect(() => conformance.check(...route, { ...answer(200, user), headers: new Headers({ 'content-type': 'application/json' }) })).toThrow(/X-Request-Id/);

    const author = { id: user.id, username: user.username, displayName: user.displayName };
    const post = { id: '7401234567890123457', author, text: 'hi #warble', createdAt: user.createdAt, likeCount: 0, commentCount: 0, likedByMe: false, hashtags: ['warble'], mentions: [] };
    const postRoute = ['GET', '/api/v1/posts/{id}'] as const;
    expect(() => conformance.check(...postRoute, answer(200, post))).not.toThrow();
    expect(() => conformance.check(...postRoute, answer(200, { ...post, likeCount: '0' }))).toThrow(/must be integer/);
    expect(() => conformance.check(...postRoute, answer(200, { ...post, author: { ...author, email: 'ada@example.com' } }))).toThrow(/additional properties/);
    expect(() => conformance.check(...postRoute, answer(200, { ...post, likedByMe: undefined }))).toThrow(/required property/);
    expect(() => conformance.check(...postRoute, answer(204, undefined))).toThrow(/not documented/);
  });
});

describe('real answers match the document', () => {
  const username = uniqueUsername('oas');
  const credentials = registerBody(username);

  it('for accounts, tokens and profiles', async () => {
    const created = await call('POST', '/api/v1/auth/register', { body: { ...credentials, displayName: 'Открытый API 🌍' } });
    expect(created.status).toBe(201);
    expect((await call('POST', '/api/v1/auth/register', { body: credentials })).status).toBe(409);
    const invalid = await call('POST', '/api/v1/auth/register', { body: { username: 'x', email: 'nope', password: 'short', isAdmin: true } });
    expect(invalid.status).toBe(400);
    // The document promises field errors for a validation failure in particular.
    expect(conformance.validate({ $ref: '#/components/schemas/ValidationProblem' }, invalid.body)).toEqual([]);
    expect((await call('POST', '/api/v1/auth/register', { rawBody: '{"username":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await call('POST', '/api/v1/auth/register', { rawBody: 'username=x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await call('POST', '/api/v1/auth/register', { body: { ...credentials, displayName: 'x'.repeat(17 * 1024) } })).status).toBe(413);

    expect((await call('POST', '/api/v1/auth/login', { body: { login: username, password: 'wrong password' } })).status).toBe(401);
    const login = await call('POST', '/api/v1/auth/login', { body: { login: credentials.email, password: credentials.password } });
    expect(login.status).toBe(200);
    const { accessToken, refreshToken } = login.body as { accessToken: string; refreshToken: string };

    const me = await call('GET', '/api/v1/users/me', { token: accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username, email: credentials.email });
    expect((await call('GET', '/api/v1/users/me')).status).toBe(401);
    const patched = await call('PATCH', '/api/v1/users/me', { token: accessToken, body: { bio: 'Documents\nher engines.' } });
    expect(patched.status).toBe(200);
    expect((await call('PATCH', '/api/v1/users/me', { token: accessToken, body: { bio: 'x', admin: true } })).status).toBe(400);
    expect((await call('PATCH', '/api/v1/users/me', { body: { bio: 'x' } })).status).toBe(401);

    // Public profiles are graph's, which learns of the account by event.
    const profile = await eventually(
      async () => {
        const response = await call('GET', '/api/v1/users/{username}', { params: { username } });
        return response.status === 404 ? undefined : response;
      },
      { what: `${username} known to graph` },
    );
    expect(profile.status).toBe(200);
    expect((await call('GET', '/api/v1/users/{username}', { params: { username: username.toUpperCase() }, token: accessToken })).status).toBe(200);
    expect((await call('GET', '/api/v1/users/{username}', { params: { username: uniqueUsername('nobody') } })).status).toBe(404);
    expect((await call('GET', '/api/v1/users/{username}', { params: { username }, headers: { authorization: 'Bearer not.a.token' } })).status).toBe(401);

    const rotated = await call('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
    expect(rotated.status).toBe(200);
    expect((await call('POST', '/api/v1/auth/refresh', { body: { refreshToken } })).status).toBe(401);
    const freshLogin = await call('POST', '/api/v1/auth/login', { body: { login: username, password: credentials.password } });
    const fresh = (freshLogin.body as { refreshToken: string }).refreshToken;
    expect((await call('POST', '/api/v1/auth/logout', { body: { refreshToken: fresh } })).status).toBe(204);
    expect((await call('POST', '/api/v1/auth/logout', { body: { refreshToken: fresh } })).status).toBe(401);
  });

  it('for search', async () => {
    // Registered in the test above; search learns of it through Kafka.
    const page = await eventually(
      async () => {
        const response = await call('GET', '/api/v1/search/users', { query: `?q=${username}&limit=5` });
        return (response.body as { items: unknown[] }).items.length > 0 ? response : undefined;
      },
      { timeoutMs: 20_000, what: `${username} in search` },
    );
    expect(page.status).toBe(200);
    for (const query of ['', '?q=%20', '?q=a&limit=0', '?q=a&cursor=!!']) {
      expect({ query, status: (await call('GET', '/api/v1/search/users', { query })).status }).toEqual({ query, status: 400 });
    }
  });
});

/** A post of `author`, through the documented route. */
async function newPost(author: Account, text: string): Promise<{ id: string }> {
  const response = await call('POST', '/api/v1/posts', { token: author.accessToken, body: { text } });
  expect(response.status).toBe(201);
  return response.body as { id: string };
}

/** The comments service learns of a post by event: retried (each answer checked) until it stops answering 404. */
function comment(account: Account, postId: string, text: string): Promise<ApiResponse> {
  return eventually(
    async () => {
      const response = await call('POST', '/api/v1/posts/{id}/comments', { params: { id: postId }, token: account.accessToken, body: { text } });
      return response.status === 404 ? undefined : response;
    },
    { what: `post ${postId} known to comments` },
  );
}

describe('real answers match the document, for the social graph, posts and comments', () => {
  let ada: Account;
  let bob: Account;
  let eve: Account;
  beforeAll(async () => {
    [ada, bob, eve] = await Promise.all([newAccount('oas_a'), newAccount('oas_b'), newAccount('oas_e')]);
  });

  it('for follows, followers and following', async () => {
    const follow = (params: Record<string, string>, token?: string) => call('POST', '/api/v1/users/{username}/follow', { params, token });
    const unfollow = (params: Record<string, string>, token?: string) => call('DELETE', '/api/v1/users/{username}/follow', { params, token });
    expect((await follow({ username: ada.username }, bob.accessToken)).status).toBe(204);
    expect((await follow({ username: ada.username }, bob.accessToken)).status).toBe(204);
    expect((await follow({ username: bob.username }, bob.accessToken)).status).toBe(400);
    expect((await follow({ username: uniqueUsername('nobody') }, bob.accessToken)).status).toBe(404);
    expect((await follow({ username: ada.username })).status).toBe(401);

    const followers = await call('GET', '/api/v1/users/{username}/followers', { params: { username: ada.username }, token: eve.accessToken });
    expect(followers.status).toBe(200);
    expect((followers.body as { items: { username: string }[] }).items.map((user) => user.username)).toEqual([bob.username]);
    const following = await call('GET', '/api/v1/users/{username}/following', { params: { username: bob.username }, query: '?limit=1' });
    expect(following.status).toBe(200);
    expect((following.body as { items: { username: string }[] }).items.map((user) => user.username)).toEqual([ada.username]);
    for (const list of ['followers', 'following']) {
      const template = `/api/v1/users/{username}/${list}`;
      expect((await call('GET', template, { params: { username: uniqueUsername('nobody') } })).status).toBe(404);
      expect((await call('GET', template, { params: { username: ada.username }, query: '?limit=101' })).status).toBe(400);
      expect((await call('GET', template, { params: { username: ada.username }, headers: { authorization: 'Bearer not.a.token' } })).status).toBe(401);
    }

    expect((await unfollow({ username: ada.username }, bob.accessToken)).status).toBe(204);
    expect((await unfollow({ username: ada.username }, bob.accessToken)).status).toBe(204);
    expect((await unfollow({ username: uniqueUsername('nobody') }, bob.accessToken)).status).toBe(404);
    expect((await unfollow({ username: ada.username })).status).toBe(401);
  });

  it('for posts, likes, timelines and the feed', async () => {
    const created = await call('POST', '/api/v1/posts', { token: ada.accessToken, body: { text: '  Открытый #API, 日本 🐱 and @Grace_H\nsecond line ' } });
    expect(created.status).toBe(201);
    const post = created.body as { id: string; hashtags: string[]; mentions: string[] };
    expect(post).toMatchObject({ hashtags: ['api'], mentions: ['Grace_H'] });
    const invalid = await call('POST', '/api/v1/posts', { token: ada.accessToken, body: { text: '  ', authorId: bob.id } });
    expect(invalid.status).toBe(400);
    expect(conformance.validate({ $ref: '#/components/schemas/ValidationProblem' }, invalid.body)).toEqual([]);
    expect((await call('POST', '/api/v1/posts', { token: ada.accessToken, body: { text: 'ж'.repeat(281) } })).status).toBe(400);
    expect((await call('POST', '/api/v1/posts', { token: ada.accessToken, rawBody: '{"text":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await call('POST', '/api/v1/posts', { token: ada.accessToken, rawBody: 'text=hi', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await call('POST', '/api/v1/posts', { token: ada.accessToken, body: { text: 'x'.repeat(17 * 1024) } })).status).toBe(413);
    expect((await call('POST', '/api/v1/posts', { body: { text: 'anonymous' } })).status).toBe(401);

    const id = { id: post.id };
    expect((await call('GET', '/api/v1/posts/{id}', { params: id })).status).toBe(200);
    expect((await call('GET', '/api/v1/posts/{id}', { params: { id: UNKNOWN_ID } })).status).toBe(404);
    for (const malformed of ['abc', '0', '99999999999999999999']) {
      const response = await call('GET', '/api/v1/posts/{id}', { params: { id: malformed } });
      expect({ malformed, status: response.status }).toEqual({ malformed, status: 400 });
    }
    expect((await call('GET', '/api/v1/posts/{id}', { params: id, headers: { authorization: 'Bearer not.a.token' } })).status).toBe(401);

    for (const method of ['POST', 'DELETE']) {
      expect((await call(method, '/api/v1/posts/{id}/like', { params: id, token: bob.accessToken })).status).toBe(204);
      expect((await call(method, '/api/v1/posts/{id}/like', { params: id, token: bob.accessToken })).status).toBe(204);
      expect((await call(method, '/api/v1/posts/{id}/like', { params: { id: UNKNOWN_ID }, token: bob.accessToken })).status).toBe(404);
      expect((await call(method, '/api/v1/posts/{id}/like', { params: { id: 'abc' }, token: bob.accessToken })).status).toBe(400);
      expect((await call(method, '/api/v1/posts/{id}/like', { params: id })).status).toBe(401);
    }
    expect((await call('POST', '/api/v1/posts/{id}/like', { params: id, token: bob.accessToken })).status).toBe(204);
    const liked = await call('GET', '/api/v1/posts/{id}', { params: id, token: bob.accessToken });
    expect(liked.body).toMatchObject({ id: post.id, likedByMe: true, likeCount: 1 });

    // The posts service learns of the author's username by event.
    const timeline = await eventually(
      async () => {
        const response = await call('GET', '/api/v1/users/{username}/posts', { params: { username: ada.username }, query: '?limit=5', token: bob.accessToken });
        return response.status === 404 ? undefined : response;
      },
      { what: `posts knows ${ada.username}` },
    );
    expect(timeline.status).toBe(200);
    expect((timeline.body as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([post.id]);
    expect((await call('GET', '/api/v1/users/{username}/posts', { params: { username: uniqueUsername('nobody') } })).status).toBe(404);
    expect((await call('GET', '/api/v1/users/{username}/posts', { params: { username: ada.username }, query: '?cursor=!!' })).status).toBe(400);

    const own = await call('GET', '/api/v1/feed', { token: ada.accessToken, query: '?limit=10' });
    expect(own.status).toBe(200);
    expect((await call('GET', '/api/v1/feed')).status).toBe(401);
    expect((await call('GET', '/api/v1/feed', { token: ada.accessToken, query: '?limit=0' })).status).toBe(400);
    expect((await call('POST', '/api/v1/users/{username}/follow', { params: { username: ada.username }, token: eve.accessToken })).status).toBe(204);
    const followed = await eventually(
      async () => {
        const response = await call('GET', '/api/v1/feed', { token: eve.accessToken });
        return (response.body as { items: { id: string }[] }).items.some((item) => item.id === post.id) ? response : undefined;
      },
      { what: `${post.id} in the feed of ${eve.username}` },
    );
    expect(followed.status).toBe(200);

    expect((await call('DELETE', '/api/v1/posts/{id}', { params: id, token: bob.accessToken })).status).toBe(403);
    expect((await call('DELETE', '/api/v1/posts/{id}', { params: id })).status).toBe(401);
    expect((await call('DELETE', '/api/v1/posts/{id}', { params: { id: 'abc' }, token: ada.accessToken })).status).toBe(400);
    expect((await call('DELETE', '/api/v1/posts/{id}', { params: id, token: ada.accessToken })).status).toBe(204);
    expect((await call('DELETE', '/api/v1/posts/{id}', { params: id, token: ada.accessToken })).status).toBe(404);
    expect((await call('GET', '/api/v1/posts/{id}', { params: id })).status).toBe(404);
    expect((await call('POST', '/api/v1/posts/{id}/like', { params: id, token: bob.accessToken })).status).toBe(404);
  });

  it('for comments', async () => {
    const post = await newPost(ada, 'a post to comment on');
    const first = await comment(bob, post.id, '  Первый 🐱\nкомментарий  ');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ postId: post.id, text: 'Первый 🐱\nкомментарий', author: { id: bob.id } });
    expect((await comment(ada, post.id, 'second')).status).toBe(201);
    const params = { id: post.id };
    const blank = await call('POST', '/api/v1/posts/{id}/comments', { params, token: bob.accessToken, body: { text: ' \n ' } });
    expect(blank.status).toBe(400);
    expect(conformance.validate({ $ref: '#/components/schemas/ValidationProblem' }, blank.body)).toEqual([]);
    expect((await call('POST', '/api/v1/posts/{id}/comments', { params, token: bob.accessToken, body: { text: 'ж'.repeat(501) } })).status).toBe(400);
    expect((await call('POST', '/api/v1/posts/{id}/comments', { params: { id: 'abc' }, token: bob.accessToken, body: { text: 'hi' } })).status).toBe(400);
    expect((await call('POST', '/api/v1/posts/{id}/comments', { params: { id: UNKNOWN_ID }, token: bob.accessToken, body: { text: 'hi' } })).status).toBe(404);
    expect((await call('POST', '/api/v1/posts/{id}/comments', { params, body: { text: 'anonymous' } })).status).toBe(401);

    const list = await call('GET', '/api/v1/posts/{id}/comments', { params, query: '?limit=1' });
    expect(list.status).toBe(200);
    const page = list.body as { items: { id: string; text: string }[]; nextCursor: string };
    expect(page.items.map((item) => item.text)).toEqual(['Первый 🐱\nкомментарий']);
    const rest = await call('GET', '/api/v1/posts/{id}/comments', { params, query: `?cursor=${page.nextCursor}`, token: eve.accessToken });
    expect((rest.body as { items: { text: string }[] }).items.map((item) => item.text)).toEqual(['second']);
    expect((await call('GET', '/api/v1/posts/{id}/comments', { params: { id: UNKNOWN_ID } })).status).toBe(404);
    expect((await call('GET', '/api/v1/posts/{id}/comments', { params: { id: 'abc' } })).status).toBe(400);
    expect((await call('GET', '/api/v1/posts/{id}/comments', { params, query: '?cursor=bogus' })).status).toBe(400);

    const commentId = { id: page.items[0].id };
    expect((await call('DELETE', '/api/v1/comments/{id}', { params: commentId, token: eve.accessToken })).status).toBe(403);
    expect((await call('DELETE', '/api/v1/comments/{id}', { params: commentId })).status).toBe(401);
    expect((await call('DELETE', '/api/v1/comments/{id}', { params: { id: 'abc' }, token: bob.accessToken })).status).toBe(400);
    expect((await call('DELETE', '/api/v1/comments/{id}', { params: commentId, token: bob.accessToken })).status).toBe(204);
    expect((await call('DELETE', '/api/v1/comments/{id}', { params: commentId, token: bob.accessToken })).status).toBe(404);
  });

  it('for post search', async () => {
    const marker = `m${uniqueUsername('o').slice(2)}`;
    const post = await newPost(ada, `Документация API ${marker} #${marker}`);
    const page = await eventually(
      async () => {
        const response = await call('GET', '/api/v1/search/posts', { query: `?q=${encodeURIComponent(`#${marker}`)}&limit=5`, token: bob.accessToken });
        return (response.body as { items: { id: string }[] }).items.some((item) => item.id === post.id) ? response : undefined;
      },
      { timeoutMs: 20_000, what: `${post.id} in search` },
    );
    expect(page.status).toBe(200);
    expect((await call('GET', '/api/v1/search/posts', { query: `?q=${encodeURIComponent(`документация ${marker}`)}` })).status).toBe(200);
    for (const query of ['', '?q=%20', `?q=${'a'.repeat(201)}`, '?q=a&limit=0', '?q=a&cursor=!!']) {
      expect({ query, status: (await call('GET', '/api/v1/search/posts', { query })).status }).toEqual({ query, status: 400 });
    }
    expect((await call('GET', '/api/v1/search/posts', { query: '?q=a', headers: { authorization: 'Bearer not.a.token' } })).status).toBe(401);
  });
});
