import { connect } from 'node:net';
import { gatewayUrl, setting } from './env.js';

export interface RawAnswer {
  /** 0 when the server closed without answering. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** From connecting until the server closed the connection. */
  closedAfterMs: number;
}

/**
 * host and port of a gateway's own listener (GATEWAY_URL or GATEWAY_PORT).
 * When GATEWAY_URL is the TLS edge (HAProxy in the cluster topology), the
 * raw bytes go to the first gateway directly: these exchanges test the
 * gateway's HTTP parser, and behind the edge HAProxy parses and refuses
 * broken framing before any gateway sees it.
 */
export function gatewayAddress(): { host: string; port: number } {
  const url = new URL(gatewayUrl);
  if (url.protocol === 'https:') return { host: '127.0.0.1', port: Number(setting('GATEWAY_PORT', '3000')) };
  return { host: url.hostname, port: Number(url.port || 80) };
}

/**
 * Writes bytes on a fresh TCP connection as they are (no HTTP client fixes
 * them up) and waits until the server closes it or `giveUpMs` passes; then
 * parses the first answer. For framing, timeouts and oversized headers.
 */
export function rawExchange(address: { host: string; port: number }, bytes: string | Buffer, giveUpMs: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const chunks: Buffer[] = [];
    const socket = connect(address.port, address.host, () => socket.write(bytes));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server held the connection for more than ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ ...parseAnswer(Buffer.concat(chunks).toString('utf8')), closedAfterMs: Date.now() - started });
    });
  });
}

function parseAnswer(text: string): Omit<RawAnswer, 'closedAfterMs'> {
  const end = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/1.1 ') || end < 0) return { status: 0, headers: {}, body: text };
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4) };
}
