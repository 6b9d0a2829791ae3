/**
 * The OpenAPI document the running gateway serves: valid OpenAPI 3.1, complete
 * for the routes of the contract, and true: every real answer below is checked
 * against the schema the document declares for its status.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { api, type ApiResponse, registerBody } from '../support/api.js';
import { gatewayUrl, uniqueUsername } from '../support/env.js';
import { eventually } from '../support/eventually.js';
import { type OpenApiDocument, OpenApiConformance } from '../support/openapi.js';

type AuthMode = 'none' | 'optional' | 'required';

/** Every route of the gateway today (api-contract.md) and how it treats tokens. */
const CONTRACT_ROUTES: [method: string, path: string, auth: AuthMode][] = [
  ['post', '/api/v1/auth/register', 'none'],
  ['post', '/api/v1/auth/login', 'none'],
  ['post', '/api/v1/auth/refresh', 'none'],
  ['post', '/api/v1/auth/logout', 'none'],
  ['get', '/api/v1/users/me', 'required'],
  ['patch', '/api/v1/users/me', 'required'],
  ['get', '/api/v1/users/{username}', 'optional'],
  ['get', '/api/v1/search/users', 'optional'],
];

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

    expect((await call('GET', '/api/v1/users/{username}', { params: { username } })).status).toBe(200);
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
