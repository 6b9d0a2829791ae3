import type { ApiResponse } from './api.js';
import { gatewayUrl } from './env.js';

export interface RawRequest {
  method: string;
  path: string;
  /** Sent as JSON with `content-type: application/json` unless `raw` is given. */
  json?: unknown;
  /** Sent byte for byte (a Buffer is sent without any content type unless one is set). */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  /** Another base URL than the gateway's (e.g. a service's internal port). */
  baseUrl?: string;
}

/**
 * One request with full control over the bytes and headers, for hostile
 * input; answers like `api()` (JSON parsed when possible).
 */
export async function send<T = unknown>(request: RawRequest): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...request.headers };
  let body: string | Uint8Array | undefined = request.raw;
  if (body === undefined && request.json !== undefined) {
    body = JSON.stringify(request.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${request.baseUrl ?? gatewayUrl}${request.path}`, { method: request.method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}
