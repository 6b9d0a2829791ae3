import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { problemClientErrorHandler } from './client-errors.js';

/** Sends raw bytes and collects everything the server answers until it closes the connection. */
function exchange(port: number, bytes: string): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('close', () => resolve({ text, ms: Date.now() - started }));
    socket.on('error', reject);
  });
}

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer({ requestTimeout: 1_000, headersTimeout: 1_000, connectionsCheckingInterval: 200, maxHeaderSize: 1024 }, (request, response) => {
    // Like Fastify: the answer waits for the whole body.
    request.resume();
    request.on('end', () => response.end('ok'));
  });
  server.on('clientError', problemClientErrorHandler({ 'x-content-type-options': 'nosniff' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const statusOf = (text: string) => text.split('\r\n')[0];
const bodyOf = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;

describe('problemClientErrorHandler', () => {
  it('answers a body shorter than its Content-Length with 408 problem details and closes', async () => {
    const { text, ms } = await exchange(port, 'POST /x HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":');
    expect(statusOf(text)).toBe('HTTP/1.1 408 Request Timeout');
    expect(bodyOf(text)).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT', requestId: expect.any(String) });
    expect(text).toMatch(/\r\nx-request-id: [\w-]+\r\n/);
    expect(text).toContain('\r\ncontent-type: application/problem+json; charset=utf-8\r\n');
    expect(text).toContain('\r\nx-content-type-options: nosniff\r\n');
    expect(ms).toBeLessThan(3_000);
  });

  it('answers oversized headers with 431', async () => {
    const { text } = await exchange(port, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(4096)}\r\n\r\n`);
    expect(statusOf(text)).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(bodyOf(text)).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });

  it('answers bad framing with 400', async () => {
    const { text } = await exchange(port, 'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
    expect(statusOf(text)).toBe('HTTP/1.1 400 Bad Request');
    expect(bodyOf(text)).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
  });
});
