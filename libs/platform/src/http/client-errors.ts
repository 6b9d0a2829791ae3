import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorCode } from '../errors/error-codes.js';
import { PROBLEM_CONTENT_TYPE, problemFor } from '../errors/problem.js';
import { acceptRequestId } from '../logging/request-context.js';
import { REQUEST_ID_HEADER } from './request-hooks.js';

type HeaderSet = Readonly<Record<string, string>>;

/** What Node's HTTP parser reports, by error code, as the answer it deserves. */
function refusalOf(error: NodeJS.ErrnoException): { code: ErrorCode; detail: string } {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { code: 'REQUEST_TIMEOUT', detail: 'The request (headers and body) did not arrive in time.' };
  if (error.code === 'HPE_HEADER_OVERFLOW') return { code: 'HEADERS_TOO_LARGE', detail: 'The request headers exceed the allowed size.' };
  return { code: 'MALFORMED_REQUEST', detail: 'The request could not be parsed as HTTP/1.1.' };
}

/**
 * Node raises these before any request object exists (timeouts, oversized
 * headers, bad framing), so Fastify's hooks never see them. They are
 * answered as problem details too, with a fresh request id and the given
 * headers (the gateway's security headers), then the connection is closed:
 * after a framing error nothing more on it can be trusted.
 */
export function problemClientErrorHandler(headers: HeaderSet = {}): (error: NodeJS.ErrnoException, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    // An answer in progress on this connection cannot be followed by another one (Node's own rule).
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const { code, detail } = refusalOf(error);
      const requestId = acceptRequestId(undefined);
      const problem = problemFor(code, detail, requestId);
      const body = Buffer.from(JSON.stringify(problem));
      const lines = [`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}`];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      lines.push(`${REQUEST_ID_HEADER}: ${requestId}`, `content-type: ${PROBLEM_CONTENT_TYPE}`, `content-length: ${body.length}`, 'cache-control: no-store', 'connection: close');
      socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]), () => socket.destroy());
      return;
    }
    socket.destroy();
  };
}
