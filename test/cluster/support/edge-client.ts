import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Agent, request } from 'undici';
import { setting } from '../../support/env.js';

/** What one call through the edge gave: a status (0 when no answer came) and the parsed body. */
export interface EdgeAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  /** The transport error when there was no HTTP answer (connection refused or reset, timeout). */
  error?: string;
}

/**
 * Calls the public API through HAProxy's TLS address, as a client on the
 * internet would: the development certificate is the only one trusted, the
 * connections are kept alive, and every call has a deadline, so a call that
 * hangs while a node is down counts as a failure instead of stalling the load.
 */
export class EdgeClient {
  readonly baseUrl = `https://127.0.0.1:${setting('HAPROXY_TLS_PORT', '8443')}`;
  private readonly agent = new Agent({
    connect: { ca: readFileSync(resolve(process.cwd(), '.run/tls/dev-cert.pem')) },
    connections: 32,
    keepAliveTimeout: 10_000,
  });

  constructor(private readonly timeoutMs = 10_000) {}

  async call<T = Record<string, unknown>>(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<EdgeAnswer<T>> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const answer = await request(`${this.baseUrl}/api/v1${path}`, {
        method: method as 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        dispatcher: this.agent,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const text = await answer.body.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: answer.statusCode, body: body as T };
    } catch (error) {
      return { status: 0, body: undefined as T, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
