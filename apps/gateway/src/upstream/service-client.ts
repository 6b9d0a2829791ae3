import { currentContext, DomainError, ProblemError, type ProblemDetails } from '@app/platform';
import { errors, Pool } from 'undici';

export interface UpstreamResponse<T> {
  status: number;
  body: T;
}


/**
 * Keep-alive connection pool to one internal service, with timeouts. It
 * forwards the request id and the caller's token, and turns transport
 * failures into 503/504 problems instead of 500s.
 */
export class ServiceClient {
  private readonly pool: Pool;

  constructor(
    readonly name: string,
    baseUrl: string,
    private readonly timeoutMs: number,
    connections: number,
  ) {
    this.pool = new Pool(baseUrl, {
      connections,
      keepAliveTimeout: 30_000,
      connectTimeout: Math.min(timeoutMs, 2_000),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  async request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, options: { query?: Record<string, string | number | boolean | undefined>; body?: unknown } = {}): Promise<UpstreamResponse<T>> {
    const context = currentContext();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (context?.requestId) headers['x-request-id'] = context.requestId;
    if (context?.authorization) headers.authorization = context.authorization;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response;
    try {
      response = await this.pool.request({
        method,
        path: withQuery(path, options.query),
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (error) {
      if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
        throw new DomainError('UPSTREAM_TIMEOUT', `The ${this.name} service did not answer in time.`);
      }
      throw new DomainError('UPSTREAM_UNAVAILABLE', `The ${this.name} service is unavailable; try again shortly.`);
    }
    const body = await readJson(response.body);
    if (response.statusCode >= 400) {
      // A service's problem answer is already safe for clients: pass it on as it is.
      if (isProblem(body)) throw new ProblemError(body);
      throw new DomainError('UPSTREAM_UNAVAILABLE', `The ${this.name} service failed; try again shortly.`);
    }
    return { status: response.statusCode, body: body as T };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function isProblem(body: unknown): body is ProblemDetails {
  const candidate = body as Partial<ProblemDetails> | undefined;
  return typeof candidate?.status === 'number' && typeof candidate.title === 'string' && candidate.status >= 400 && candidate.status < 600;
}

function withQuery(path: string, query: Record<string, string | number | boolean | undefined> | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const encoded = params.toString();
  return encoded ? `${path}?${encoded}` : path;
}

async function readJson(body: { text(): Promise<string> }): Promise<unknown> {
  const text = await body.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DomainError('UPSTREAM_UNAVAILABLE', 'A service sent an unreadable answer; try again shortly.');
  }
}
