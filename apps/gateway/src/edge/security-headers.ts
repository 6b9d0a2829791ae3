import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

type HeaderSet = Readonly<Record<string, string>>;

/**
 * The headers helmet would set for these options, computed once. Helmet's
 * middleware rebuilds its policies on every call (and @fastify/helmet calls
 * it per request); the answer never depends on the request, so the gateway
 * sends a precomputed set instead.
 */
export function helmetHeaders(options: HelmetOptions): HeaderSet {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  const middleware = helmet(options) as unknown as (req: object, res: typeof response, next: (error?: unknown) => void) => void;
  // Helmet throws on bad options (it no longer passes errors to next).
  middleware({}, response, () => undefined);
  return Object.freeze(headers);
}

/** Sends `api` on every response, or `docs` on routes under `docsPrefix` (Swagger UI needs its own CSP). */
export function installSecurityHeaders(fastify: FastifyInstance, sets: { api: HeaderSet; docs: HeaderSet; docsPrefix: string }): void {
  const { api, docs, docsPrefix } = sets;
  const isDocs = (route: string | undefined) => route !== undefined && (route === docsPrefix || route.startsWith(`${docsPrefix}/`));
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(isDocs(request.routeOptions.url) ? docs : api);
    done();
  });
}
