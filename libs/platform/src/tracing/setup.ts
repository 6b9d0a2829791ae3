import { hostname } from 'node:os';
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingEnv } from '../config/config.js';
import { Tracing, TRACER_NAME } from './tracing.js';

/**
 * What tracing writes to the app's log. An interface of its own: the logger
 * (logging/) mixes trace ids into its lines, so it depends on tracing, and
 * tracing must not depend on it back.
 */
export interface TracingLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** How long a stop may wait for the last export: a dead collector must not eat the pod's grace period. */
const SHUTDOWN_BUDGET_MS = 5_000;

let provider: TracerProvider | undefined;

/** Where spans go, or undefined when tracing is off (no endpoint, or OTEL_SDK_DISABLED). */
export function tracesUrl(config: TracingEnv): string | undefined {
  if (config.OTEL_SDK_DISABLED) return undefined;
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT) return `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

/** The sampler named by OTEL_TRACES_SAMPLER, as the OpenTelemetry specification defines them. */
export function samplerFor(config: TracingEnv): Sampler {
  const ratio = () => new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG ?? 1);
  switch (config.OTEL_TRACES_SAMPLER) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio();
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio() });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * Starts the OpenTelemetry SDK when an OTLP endpoint is configured, before the
 * app is created: a tracer provider with a batch processor and the OTLP/HTTP
 * (JSON) exporter, the AsyncLocalStorage context manager (the active span
 * follows the request's async work) and the W3C trace-context propagator.
 * Without an endpoint nothing is started and Tracing.enabled stays false.
 * `exporter` replaces the OTLP exporter (tests).
 */
export function startTracing(service: string, config: TracingEnv, logger: TracingLog, exporter?: SpanExporter): boolean {
  const url = tracesUrl(config);
  if (provider || (!url && !exporter)) return Tracing.enabled;
  // The SDK reports its own trouble (an unreachable collector) through diag: into the app's log.
  diag.setLogger(
    {
      error: (message, ...args) => logger.warn({ args }, `tracing: ${message}`),
      warn: (message, ...args) => logger.warn({ args }, `tracing: ${message}`),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  provider = new TracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME ?? `warble-${service}`,
        'service.namespace': 'warble',
        'host.name': hostname(),
      }),
    ),
    sampler: samplerFor(config),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: exporter ?? new OTLPTraceExporter({ url, timeoutMillis: 10_000 }),
        scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
        exportTimeoutMillis: 10_000,
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  Tracing.tracer = provider.getTracer(TRACER_NAME);
  Tracing.enabled = true;
  logger.info({ tracesUrl: url, sampler: config.OTEL_TRACES_SAMPLER }, 'tracing on');
  return true;
}

/** Exports the spans buffered so far now instead of at the next scheduled export. */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/**
 * Exports what is still buffered and stops the SDK (graceful shutdown), giving
 * up after a few seconds if the collector does not answer. Safe to call when
 * tracing never started.
 */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  if (!stopping) return;
  provider = undefined;
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SHUTDOWN_BUDGET_MS);
    timer.unref();
  });
  await Promise.race([stopping.shutdown().catch(() => undefined), budget]);
  clearTimeout(timer);
  Tracing.enabled = false;
  Tracing.tracer = trace.getTracer(TRACER_NAME);
  trace.disable();
  context.disable();
  propagation.disable();
  diag.disable();
}
