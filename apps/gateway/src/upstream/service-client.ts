import { currentContext, DomainError, inSpan, ProblemError, type ProblemDetails, traceHeaders, Tracing } from '@app/platform';
import { type Span, SpanKind } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_FULL } from '@opentelemetry/semantic-conventions';
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
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
interface RequestOptions {
  /** Query parameters, or a query string passed on as the client sent it (see RawQuery). */
  query?: Record<string, string | number | boolean | undefined> | string;
  body?: unknown;
}

export class ServiceClient {
  private readonly pool: Pool;
  private readonly origin: URL;

  constructor(
    readonly name: string,
    baseUrl: string,
    private readonly timeoutMs: number,
    connections: number,
  ) {
    this.origin = new URL(baseUrl);
    this.pool = new Pool(baseUrl, {
      connections,
      keepAliveTimeout: 30_000,
      connectTimeout: Math.min(timeoutMs, 2_000),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<UpstreamResponse<T>> {
    const { status, text } = await this.exchange(method, path, options);
    return { status, body: (text ? parseJson(text) : undefined) as T };
  }

  /**
   * For hot read routes: the service's JSON body as text, to be sent on
   * unchanged (parsing and re-serialising a page costs the gateway more than
   * the rest of the request). Errors are handled as in request().
   */
  async relay(method: Method, path: string, options: RequestOptions = {}): Promise<string> {
    return (await this.exchange(method, path, options)).text;
  }

  private exchange(method: Method, path: string, options: RequestOptions): Promise<{ status: number; text: string }> {
    const context = currentContext();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (context?.requestId) headers['x-request-id'] = context.requestId;
    if (context?.authorization) headers.authorization = context.authorization;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (!Tracing.enabled) return this.send(method, path, options, headers);
    // A CLIENT span per service call; the service's SERVER span becomes its child through traceparent.
    return inSpan(`${method} ${this.name}`, { kind: SpanKind.CLIENT, attributes: this.spanAttributes(method, path) }, async (span: Span) => {
      try {
        const result = await this.send(method, path, options, { ...headers, ...traceHeaders() });
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, result.status);
        return result;
      } catch (error) {
        // A service's problem answer (4xx/5xx) fails the call; its status is kept on the span.
        if (error instanceof ProblemError) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, error.problem.status);
        throw error;
      }
    });
  }

  private spanAttributes(method: Method, path: string) {
    return {
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_SERVER_ADDRESS]: this.origin.hostname,
      [ATTR_SERVER_PORT]: Number(this.origin.port) || (this.origin.protocol === 'https:' ? 443 : 80),
      // Without the query: it can hold what a user typed into search.
      [ATTR_URL_FULL]: `${this.origin.origin}${path}`,
    };
  }

  private async send(method: Method, path: string, options: RequestOptions, headers: Record<string, string>): Promise<{ status: number; text: string }> {
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
    const text = await response.body.text();
    if (response.statusCode >= 400) {
      const body = text ? parseJson(text) : undefined;
      // A service's problem answer is already safe for clients: pass it on as it is.
      if (isProblem(body)) throw new ProblemError(body);
      throw new DomainError('UPSTREAM_UNAVAILABLE', `The ${this.name} service failed; try again shortly.`);
    }
    return { status: response.statusCode, text };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function isProblem(body: unknown): body is ProblemDetails {
  const candidate = body as Partial<ProblemDetails> | undefined;
  return typeof candidate?.status === 'number' && typeof candidate.title === 'string' && candidate.status >= 400 && candidate.status < 600;
}

function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  if (typeof query === 'string') return `${path}?${query}`;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const encoded = params.toString();
  return encoded ? `${path}?${encoded}` : path;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DomainError('UPSTREAM_UNAVAILABLE', 'A service sent an unreadable answer; try again shortly.');
  }
}
