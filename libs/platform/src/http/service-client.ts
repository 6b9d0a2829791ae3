import { type Span, SpanKind } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_FULL } from '@opentelemetry/semantic-conventions';
import { type Dispatcher, errors } from 'undici';
import { DomainError } from '../errors/error-codes.js';
import { ProblemError, type ProblemDetails } from '../errors/problem.js';
import { currentContext } from '../logging/request-context.js';
import { traceHeaders } from '../tracing/propagation.js';
import { inSpan } from '../tracing/spans.js';
import { Tracing } from '../tracing/tracing.js';
import { Metrics } from '../metrics/instruments.js';
import { routeToCanary } from './canary-split.js';
import { ReplicaSet } from './replica-set.js';

export interface UpstreamResponse<T> {
  status: number;
  body: T;
}

/** Methods a replica may be asked again after a failed connection (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'DELETE']);

/** Errors that mean no answer came from the replica (it is down, stopping or unreachable). */
const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** No service answer is this large; a bigger one is a fault, not something to buffer. */
const MAX_UPSTREAM_BODY_BYTES = 8 * 1024 * 1024;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
interface RequestOptions {
  /** Query parameters, or a query string passed on as the client sent it (see RawQuery). */
  query?: Record<string, string | number | boolean | undefined> | string;
  body?: unknown;
  /**
   * The client's address, sent as X-Forwarded-For (auth routes only: the users
   * service throttles logins per client IP). Built here, never copied from the
   * client's own headers, so a client cannot choose it.
   */
  clientIp?: string;
  /**
   * Sends no Authorization even inside a request context: for a service
   * asking another one something any caller may read (comments asking posts
   * whether a post exists), so that the caller's token goes no further than needed.
   */
  anonymous?: boolean;
  /**
   * Internal headers the gateway made itself (the experiment assignment,
   * docs/architecture.md "Experiments"); never a client's own header.
   */
  headers?: Record<string, string>;
}

/** A service's problem answer, with its Retry-After when it had one (a throttled login). */
export class UpstreamProblemError extends ProblemError {
  constructor(
    problem: ProblemDetails,
    readonly retryAfter: string | undefined,
  ) {
    super(problem);
  }
}

/** A service's answer: status and the body's bytes, not yet decoded. */
interface Exchange {
  status: number;
  bytes: Buffer;
  /** Only read from error answers. */
  retryAfter: string | undefined;
}

/** A canary beside a service's replicas and the share of requests it gets. */
interface Canary {
  url: string;
  percent: number;
  replicas: ReplicaSet;
}

/**
 * Keep-alive connections to the replicas of one internal service, with
 * timeouts: the gateway's calls to every service, and comments' calls to
 * posts. It forwards the request id and the caller's token, retries an
 * idempotent request once on another replica when its connection failed,
 * and turns transport failures into 503/504 problems instead of 500s.
 * A canary may be set beside the replicas (setCanary).
 */
export class ServiceClient {
  private readonly replicas: ReplicaSet;
  private readonly origin: URL;
  private readonly replicaOptions: ConstructorParameters<typeof ReplicaSet>[1];
  private canary?: Canary;

  constructor(
    readonly name: string,
    baseUrls: string | readonly string[],
    timeoutMs: number,
    connections: number,
    options: { healthIntervalMs?: number; onReplicaChange?: (origin: string, inRotation: boolean) => void } = {},
  ) {
    const urls = typeof baseUrls === 'string' ? [baseUrls] : baseUrls;
    this.origin = new URL(urls[0]);
    this.replicaOptions = { connections, timeoutMs, healthIntervalMs: options.healthIntervalMs ?? 1_000, onChange: options.onReplicaChange };
    this.replicas = new ReplicaSet(urls, this.replicaOptions);
  }

  /**
   * Sends `percent` in 100 of the requests to a canary at `url` instead of
   * the replicas (docs/operations.md, "A canary on this machine"), and every
   * request whose caller sent `X-Warble-Canary: always`; `never` keeps a
   * request off it. No url removes the canary; its requests in flight finish.
   */
  setCanary(url: string | undefined, percent: number): void {
    const origin = url === undefined ? undefined : new URL(url).origin;
    const previous = this.canary;
    if (origin !== undefined && previous?.url === origin) {
      previous.percent = percent;
    } else {
      this.canary = origin === undefined ? undefined : { url: origin, percent, replicas: new ReplicaSet([origin], this.replicaOptions) };
      // close() lets the requests already sent finish.
      void previous?.replicas.close();
    }
    Metrics.upstreamCanaryPercent.set({ upstream: this.name }, this.canary ? percent : 0);
  }

  /** The canary's URL and share, if one is set. */
  get canaryTarget(): { url: string; percent: number } | undefined {
    return this.canary ? { url: this.canary.url, percent: this.canary.percent } : undefined;
  }

  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<UpstreamResponse<T>> {
    const { status, bytes } = await this.exchange(method, path, options);
    return { status, body: (bytes.length > 0 ? parseJson(bytes) : undefined) as T };
  }

  /**
   * For hot read routes: the service's JSON body as bytes, to be sent on
   * unchanged (parsing and re-serialising a page, or even decoding it to a
   * string and encoding it again, costs the gateway more than the rest of
   * the request). Errors are handled as in request().
   */
  async relay(method: Method, path: string, options: RequestOptions = {}): Promise<Buffer> {
    return (await this.exchange(method, path, options)).bytes;
  }

  private exchange(method: Method, path: string, options: RequestOptions): Promise<Exchange> {
    const context = currentContext();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (context?.requestId) headers['x-request-id'] = context.requestId;
    if (context?.authorization && !options.anonymous) headers.authorization = context.authorization;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.clientIp !== undefined) headers['x-forwarded-for'] = options.clientIp;
    if (options.headers) Object.assign(headers, options.headers);
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

  private async send(method: Method, path: string, options: RequestOptions, headers: Record<string, string>): Promise<Exchange> {
    const request: Dispatcher.DispatchOptions = {
      method,
      path: withQuery(path, options.query),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    };
    const canary = this.canary && routeToCanary(this.canary.percent, currentContext()?.canary) ? this.canary.replicas : undefined;
    let exchange: Exchange;
    try {
      try {
        exchange = await this.dispatch(request, canary ?? this.replicas);
      } catch (error) {
        // Once, on another replica (the failed one has left the rotation) or off the canary, and only where asking twice is safe.
        if (!IDEMPOTENT.has(method) || (canary === undefined && this.replicas.size === 1) || !isConnectionFailure(error)) throw error;
        exchange = await this.dispatch(request, this.replicas);
      }
    } catch (error) {
      if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
        throw new DomainError('UPSTREAM_TIMEOUT', `The ${this.name} service did not answer in time.`);
      }
      throw new DomainError('UPSTREAM_UNAVAILABLE', `The ${this.name} service is unavailable; try again shortly.`);
    }
    if (exchange.status >= 400) {
      const body = exchange.bytes.length > 0 ? parseJson(exchange.bytes) : undefined;
      // A service's problem answer is already safe for clients: pass it on as it is.
      if (isProblem(body)) throw new UpstreamProblemError(body, exchange.retryAfter);
      throw new DomainError('UPSTREAM_UNAVAILABLE', `The ${this.name} service failed; try again shortly.`);
    }
    return exchange;
  }

  /**
   * One exchange through undici's dispatch API, collecting the body's chunks
   * directly: the stream that `request()` wraps around each body costs more
   * than everything else the gateway does for a relayed page.
   */
  private dispatch(request: Dispatcher.DispatchOptions, target: ReplicaSet): Promise<Exchange> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let status = 0;
      let retryAfter: string | undefined;
      target.dispatcher.dispatch(request, {
        // Required by undici's handler check; nothing to do before the answer starts.
        onRequestStart: () => undefined,
        onResponseStart: (_controller, statusCode, headers) => {
          status = statusCode;
          if (statusCode === 429) retryAfter = firstValue(headers['retry-after']);
        },
        onResponseData: (controller, chunk) => {
          size += chunk.length;
          if (size > MAX_UPSTREAM_BODY_BYTES) controller.abort(new Error(`${this.name} answered more than ${MAX_UPSTREAM_BODY_BYTES} bytes`));
          else chunks.push(chunk);
        },
        onResponseEnd: () => resolve({ status, bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size), retryAfter }),
        onResponseError: (_controller, error) => reject(error),
      });
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.replicas.close(), this.canary?.replicas.close()]);
  }
}

function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && CONNECTION_FAILURES.has(code);
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
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

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    throw new DomainError('UPSTREAM_UNAVAILABLE', 'A service sent an unreadable answer; try again shortly.');
  }
}
