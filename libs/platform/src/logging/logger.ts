import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { activeTraceIds } from '../tracing/spans.js';
import { Tracing } from '../tracing/tracing.js';
import { currentRequestId } from './request-context.js';

export type AppLogger = Logger;

/**
 * JSON logger; every line carries the service name and the current request
 * id, and with tracing on the trace and span id of the active span (the key
 * from a log line to its trace). A canary's lines also carry `track: "canary"`.
 */
export function createLogger(service: string, level: string, track: 'stable' | 'canary' = 'stable'): AppLogger {
  return pino(
    {
      level,
      base: track === 'canary' ? { service, track } : { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = currentRequestId();
        const ids = Tracing.enabled ? activeTraceIds() : undefined;
        if (ids) return requestId ? { requestId, ...ids } : ids;
        return requestId ? { requestId } : {};
      },
      // Query parameters of a failed SQL statement can hold hashes or emails: never log them.
      serializers: {
        err: (error: Error) => {
          const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
          delete serialized.parameters;
          return serialized;
        },
      },
      redact: { paths: ['password', '*.password', 'authorization', '*.authorization', 'refreshToken', '*.refreshToken'], censor: '[redacted]' },
    },
    // Asynchronous writes keep stdout off the request path; pino flushes them on exit.
    pino.destination({ dest: 1, sync: false }),
  );
}

/** Adapts pino to Nest's LoggerService so framework logs are JSON too. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: AppLogger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
