import { createServer, type Server } from 'node:http';
import type { AppLogger } from '../logging/logger.js';
import { metricsRegistry, renderMetrics } from './instruments.js';

export const METRICS_PATH = '/metrics';

/**
 * Prometheus scrapes each app on this separate listener (docs/operations.md,
 * "Metrics"), never on the public port: the numbers describe internals. It
 * answers GET (and HEAD) /metrics and nothing else, and needs no token —
 * the network (NetworkPolicy, a host-local port) is what keeps it private.
 */
export function startMetricsServer(port: number, host: string, logger: AppLogger): Promise<Server> {
  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000 }, (request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== METRICS_PATH) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: only GET /metrics is served here.\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed.\n');
      return;
    }
    renderMetrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': metricsRegistry.contentType, 'cache-control': 'no-store' });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'metrics scrape failed');
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Scrape failed.\n');
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      logger.info({ port: typeof address === 'object' && address ? address.port : port, host }, 'metrics listener ready');
      resolve(server);
    });
  });
}

/** Stops the listener; open scrapes are cut (a scrape is cheap to repeat). */
export function stopMetricsServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
