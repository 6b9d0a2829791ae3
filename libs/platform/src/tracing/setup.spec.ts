import { ROOT_CONTEXT, SamplingDecision, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { ConfigError, loadConfig, serviceEnv } from '../config/config.js';
import { samplerFor, tracesUrl } from './setup.js';

const config = (env: Record<string, string> = {}) => loadConfig(serviceEnv, { PORT: '1', ...env });

describe('tracing configuration', () => {
  it('is off unless an OTLP endpoint is set, and an empty value counts as unset', () => {
    expect(tracesUrl(config())).toBeUndefined();
    expect(tracesUrl(config({ OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_SERVICE_NAME: '', OTEL_TRACES_SAMPLER: '' }))).toBeUndefined();
    expect(tracesUrl(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }))).toBeUndefined();
  });

  it('sends to <endpoint>/v1/traces, or to the traces endpoint as given', () => {
    expect(tracesUrl(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }))).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/otlp/' }))).toBe('http://collector:4318/otlp/v1/traces');
    expect(
      tracesUrl(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/ingest' })),
    ).toBe('https://traces.example/ingest');
  });

  it('has the specification’s defaults', () => {
    expect(config()).toMatchObject({ OTEL_TRACES_SAMPLER: 'parentbased_always_on', OTEL_BSP_SCHEDULE_DELAY: 5000, OTEL_SDK_DISABLED: false });
  });

  it('rejects bad values at boot, naming the variable', () => {
    expect(() => config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => config({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(ConfigError);
    expect(() => config({ OTEL_TRACES_SAMPLER_ARG: '1.5' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
  });

  it('parentbased_traceidratio samples new traces by ratio and follows the caller’s decision', () => {
    const sampler = samplerFor(config({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }));
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const decide = (parent = ROOT_CONTEXT) => sampler.shouldSample(parent, traceId, 'GET /', SpanKind.SERVER, {}, []).decision;
    const remote = (traceFlags: TraceFlags) => trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: '00f067aa0ba902b7', traceFlags, isRemote: true });

    expect(decide()).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(remote(TraceFlags.SAMPLED))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(remote(TraceFlags.NONE))).toBe(SamplingDecision.NOT_RECORD);
    const always = samplerFor(config({ OTEL_TRACES_SAMPLER: 'always_on' }));
    expect(always.shouldSample(ROOT_CONTEXT, traceId, 'x', SpanKind.INTERNAL, {}, []).decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
