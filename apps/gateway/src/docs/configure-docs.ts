import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, type ReferenceObject, type RequestBodyObject, type ResponseObject, type SchemaObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_SCHEMAS } from './problem.schema.js';

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
- Every response carries \`X-Request-Id\` (the caller's, if sane, else a new one).`;

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
    headers: { RequestId: { description: 'Id of this request, also in problem bodies and logs.', required: true, schema: { type: 'string' } } },
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
 * Keeps only the public API (health, metrics and docs are operations, not API),
 * marks request bodies closed as the validation pipe enforces, and adds the
 * X-Request-Id header that every response carries.
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
      for (const response of Object.values(operation.responses) as ResponseObject[]) {
        response.headers = { ...response.headers, 'X-Request-Id': { $ref: '#/components/headers/RequestId' } };
      }
    }
  }
  return document;
}

function refName(schema: SchemaObject | ReferenceObject | undefined): string | undefined {
  return schema && '$ref' in schema ? schema.$ref.split('/').pop() : undefined;
}
