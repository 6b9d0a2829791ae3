import cors from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { APP_CONFIG, EXPERIMENTS_HEADER, REQUEST_ID_HEADER } from '@app/platform';
import { CLIENT_ID_HEADER } from '../experiments/experiment-assigner.js';
import type { GatewayConfig } from '../config/gateway.config.js';
import { RATE_LIMIT_HEADERS } from './rate-limit.guard.js';
import { helmetHeaders, installSecurityHeaders } from './security-headers.js';

const DOCS_PREFIX = '/docs';

/** The API answers JSON only: nothing in a response may load, run or frame anything. */
const API_CSP = { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } };

/** The security headers of every API answer, refusals made before routing included (main.ts). */
export const API_SECURITY_HEADERS = helmetHeaders({ contentSecurityPolicy: API_CSP });

/**
 * Swagger UI needs its own scripts, styles (some inline), data: images and a
 * fetch of the document: helmet's defaults allow exactly that. Without
 * upgrade-insecure-requests, which would break the page on plain-HTTP dev.
 */
const DOCS_CSP = { useDefaults: true, directives: { upgradeInsecureRequests: null } };

/** Public-edge protections of the gateway: security headers and CORS (rate limits: EdgeModule). */
export async function configureEdge(app: NestFastifyApplication): Promise<void> {
  const config = app.get<GatewayConfig>(APP_CONFIG);
  const fastify = app.getHttpAdapter().getInstance();

  installSecurityHeaders(fastify, {
    api: API_SECURITY_HEADERS,
    docs: helmetHeaders({ contentSecurityPolicy: DOCS_CSP }),
    docsPrefix: DOCS_PREFIX,
  });

  // Browsers on other origins may call the API only when configured; tokens travel
  // in the Authorization header, never in cookies, so credentials stay off.
  if (config.CORS_ORIGINS.length > 0) {
    await app.register(cors, {
      origin: config.CORS_ORIGINS.includes('*') ? '*' : config.CORS_ORIGINS,
      methods: ['GET', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', REQUEST_ID_HEADER, CLIENT_ID_HEADER],
      // Scripts on other origins may read the limits (docs/api.md, "Limits") and their variants ("Experiments").
      exposedHeaders: [REQUEST_ID_HEADER, 'Retry-After', ...RATE_LIMIT_HEADERS, EXPERIMENTS_HEADER],
      maxAge: 600,
    });
  }
}
