import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, type ReferenceObject, type RequestBodyObject, type ResponseObject, type SchemaObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, PROBLEM_SCHEMAS } from './problem.schema.js';

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/openapi.json';
const PUBLIC_PREFIX = '/api/v1/';

const DESCRIPTION = `The public REST API of Warble.

- Bodies are JSON; unknown body fields are rejected with \`400\`.
- IDs are decimal strings; timestamps are ISO-8601 UTC.
- Send \`Authorization: Bearer <accessToken>\` (from \`POST /auth/login\`). Routes that
  accept a token optionally work anonymously and personalise the answer when one is given.
- Lists take \`?limit=\` (1..100, default 20) and \`?cursor=\` (the previous page's \`nextCursor\`).
- Errors are RFC 9457 problem details (\`application/problem+json\`).
- Every response carries \`X-Request-Id\` (the caller's, if sane, else a new one).
- Requests are limited per user (per client IP without a token), with lower budgets for
  search and writes; \`/auth/*\` per client IP, and failed logins per account and per IP.
  Limited answers carry \`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and
  \`X-RateLimit-Reset\` (Unix epoch seconds); over a limit the answer is \`429\` with
  \`Retry-After\` (seconds).`;

/** OpenAPI 3.1 document generated from the controllers and DTOs, and Swagger UI. */
export function configureDocs(app: NestFastifyApplication): Promise<void> {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Warble API')
    .setVersion('1.0.0')
    .setDescription(DESCRIPTION)
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from `POST /auth/login` or `POST /auth/refresh`.' }, 'bearer')
    .addTag('auth', 'Accounts and tokens')
    .addTag('users', 'Profiles and the social graph')
    .addTag('posts', 'Posts, likes and timelines')
    .addTag('feed', 'The home feed')
    .addTag('comments', 'Comments on posts')
    .addTag('search', 'Search')
    .build();
  config.components = {
    ...config.components,
    schemas: { ...config.components?.schemas, ...PROBLEM_SCHEMAS },
    headers: {
      RequestId: { description: 'Id of this request, also in problem bodies and logs.', required: true, schema: { type: 'string' } },
      ...RATE_LIMIT_HEADERS,
      RetryAfter: { description: 'Seconds to wait before trying again.', required: true, schema: { type: 'integer', minimum: 1 } },
    },
  };
  const document = finish(
    SwaggerModule.createDocument(app, config, {
      // `authRegister`, `usersMe`, `searchUsers`: stable names for generated clients.
      operationIdFactory: (controller, method) => controller.replace(/Controller$/, '').toLowerCase() + method[0].toUpperCase() + method.slice(1),
    }),
  );
  // Served as plain Fastify routes: Nest's auth guard never sees them, so no token is needed.
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH, raw: ['json'], customSiteTitle: 'Warble API' });
  return Promise.resolve();
}

/**
 * The limit headers (docs/api.md, "Limits"). Not required: answers refused before the
 * limiter (a bad token, an unreadable body) and deployments with limits off go without.
 */
const RATE_LIMIT_HEADERS = {
  RateLimitLimit: { description: 'Requests allowed per window by the budget this request counts against.', required: false, schema: { type: 'integer', minimum: 1 } },
  RateLimitRemaining: { description: 'Requests left in the current window.', required: false, schema: { type: 'integer', minimum: 0 } },
  RateLimitReset: { description: 'When the current window ends, in Unix epoch seconds.', required: false, schema: { type: 'integer', minimum: 0 } },
};
const LIMIT_HEADER_REFS = {
  'X-RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' },
  'X-RateLimit-Remaining': { $ref: '#/components/headers/RateLimitRemaining' },
  'X-RateLimit-Reset': { $ref: '#/components/headers/RateLimitReset' },
};

/** Every API operation can meet a limit. */
const TOO_MANY_REQUESTS: ResponseObject = {
  description: 'Too many requests; retry after `Retry-After` seconds.',
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
};

/**
 * Keeps only the public API (health, metrics and docs are operations, not API),
 * marks request bodies closed as the validation pipe enforces, and adds the
 * X-Request-Id header that every response carries, the limit headers and a 429.
 */
function finish(document: OpenAPIObject): OpenAPIObject {
  document.paths = Object.fromEntries(Object.entries(document.paths).filter(([path]) => path.startsWith(PUBLIC_PREFIX)));
  const schemas = document.components?.schemas ?? {};
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete]) {
      if (!operation) continue;
      const body = operation.requestBody as RequestBodyObject | undefined;
      const bodySchema = schemas[refName(body?.content['application/json']?.schema) ?? ''] as SchemaObject | undefined;
      if (bodySchema) bodySchema.additionalProperties = false;
      operation.responses['429'] ??= structuredClone(TOO_MANY_REQUESTS);
      const tooMany = operation.responses['429'] as ResponseObject;
      tooMany.headers = { ...tooMany.headers, 'Retry-After': { $ref: '#/components/headers/RetryAfter' } };
      for (const response of Object.values(operation.responses) as ResponseObject[]) {
        response.headers = { ...response.headers, 'X-Request-Id': { $ref: '#/components/headers/RequestId' }, ...LIMIT_HEADER_REFS };
      }
    }
  }
  return document;
}

function refName(schema: SchemaObject | ReferenceObject | undefined): string | undefined {
  return schema && '$ref' in schema ? schema.$ref.split('/').pop() : undefined;
}
