import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One span as a collector received it (from the OTLP/HTTP JSON encoding). */
export interface CollectedSpan {
  /** `service.name` of the resource that sent it. */
  service: string;
  traceId: string;
  spanId: string;
  /** Undefined for a root span. */
  parentSpanId?: string;
  name: string;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer' | 'unspecified';
  attributes: Record<string, string | number | boolean>;
  status: 'unset' | 'ok' | 'error';
  startTimeUnixNano: bigint;
}

type AnyValue = { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean };
type KeyValue = { key: string; value: AnyValue };
interface ExportRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number;
        attributes?: KeyValue[];
        status?: { code?: number };
        startTimeUnixNano: string | number;
      }[];
    }[];
  }[];
}

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
const STATUSES = ['unset', 'ok', 'error'] as const;

function scalar(value: AnyValue): string | number | boolean {
  if (value.stringValue !== undefined) return value.stringValue;
  // int64 is a string in proto3 JSON; the JS exporter writes a number.
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  return JSON.stringify(value);
}

function attributes(list: KeyValue[] | undefined): Record<string, string | number | boolean> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, scalar(value)]));
}

/**
 * A minimal OpenTelemetry collector inside the test process: it accepts
 * OTLP/HTTP JSON exports on POST /v1/traces (gzip or not) and keeps every span.
 */
export class OtlpCollector {
  readonly spans: CollectedSpan[] = [];
  /** Bodies that were not OTLP JSON: a test should expect none. */
  readonly rejected: string[] = [];
  private server?: Server;

  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT. */
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        let body = Buffer.concat(chunks);
        try {
          if (request.method !== 'POST' || request.url !== '/v1/traces') throw new Error(`${request.method} ${request.url}`);
          if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
          this.accept(JSON.parse(body.toString('utf8')) as ExportRequest);
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } catch (error) {
          this.rejected.push(`${(error as Error).message}: ${body.toString('utf8').slice(0, 200)}`);
          response.writeHead(400, { 'content-type': 'application/json' }).end('{}');
        }
      });
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private accept(request: ExportRequest): void {
    for (const resourceSpans of request.resourceSpans ?? []) {
      const service = String(attributes(resourceSpans.resource?.attributes)['service.name'] ?? '');
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            name: span.name,
            kind: KINDS[span.kind ?? 0] ?? 'unspecified',
            attributes: attributes(span.attributes),
            status: STATUSES[span.status?.code ?? 0] ?? 'unset',
            startTimeUnixNano: BigInt(span.startTimeUnixNano),
          });
        }
      }
    }
  }

  /** Spans matching every given field (attributes compared one by one). */
  find(match: Partial<Omit<CollectedSpan, 'attributes'>> & { attributes?: CollectedSpan['attributes'] }): CollectedSpan[] {
    return this.spans.filter((span) => {
      for (const [key, value] of Object.entries(match)) {
        if (key === 'attributes') {
          for (const [name, expected] of Object.entries(value as CollectedSpan['attributes'])) if (span.attributes[name] !== expected) return false;
        } else if (span[key as keyof CollectedSpan] !== value) return false;
      }
      return true;
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
