import { trace, type Tracer } from '@opentelemetry/api';

/** Name of the tracer (the instrumentation scope) of every span Warble makes. */
export const TRACER_NAME = 'warble';

/**
 * The one switch every traced seam reads first. It turns true only when
 * startTracing() found an OTLP endpoint; until then `tracer` is the API's
 * no-op tracer and no seam creates spans, parses trace headers or allocates
 * anything for tracing, so an untraced process pays one property read per
 * request or message.
 */
export const Tracing: { enabled: boolean; tracer: Tracer } = {
  enabled: false,
  tracer: trace.getTracer(TRACER_NAME),
};
