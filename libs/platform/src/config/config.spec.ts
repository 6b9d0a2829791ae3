import { z } from 'zod';
import { ConfigError, databaseEnv, kafkaEnv, loadConfig, serviceEnv } from './config.js';

describe('loadConfig', () => {
  const schema = serviceEnv.extend(databaseEnv.shape).extend(kafkaEnv.shape);
  const valid = {
    PORT: '3001',
    DATABASE_HOST: '127.0.0.1',
    DATABASE_NAME: 'warble',
    DATABASE_USER: 'warble_users',
    KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
  };

  it('coerces and defaults values into a typed object', () => {
    const config = loadConfig(schema, valid);
    expect(config.PORT).toBe(3001);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(config.DATABASE_POOL_SIZE).toBe(10);
    expect(config.DATABASE_MIGRATIONS_RUN).toBe(true);
  });

  it('names every missing or invalid variable', () => {
    const run = () => loadConfig(schema, { ...valid, PORT: 'abc', DATABASE_HOST: undefined });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_HOST');
    }
  });

  it('rejects a worker id outside the 10-bit range', () => {
    expect(() => loadConfig(z.object(serviceEnv.shape), { PORT: '1', WORKER_ID: '1024' })).toThrow(/WORKER_ID/);
  });

  it('defaults the metrics port and the HTTP timeouts to their production values', () => {
    const config = loadConfig(z.object(serviceEnv.shape), { PORT: '1' });
    expect(config).toMatchObject({ METRICS_PORT: 9100, HTTP_REQUEST_TIMEOUT_MS: 15_000, HTTP_HEADERS_TIMEOUT_MS: 10_000, HTTP_KEEP_ALIVE_TIMEOUT_MS: 72_000 });
    expect(loadConfig(z.object(serviceEnv.shape), { PORT: '1', METRICS_PORT: '0' }).METRICS_PORT).toBe(0);
  });

  it('refuses request timeouts too short to send a body in', () => {
    expect(() => loadConfig(z.object(serviceEnv.shape), { PORT: '1', HTTP_REQUEST_TIMEOUT_MS: '10' })).toThrow(/HTTP_REQUEST_TIMEOUT_MS/);
  });

  it('takes TRUST_PROXY as a flag or as a list of proxy addresses and CIDRs', () => {
    const trust = (value?: string) => loadConfig(z.object(serviceEnv.shape), { PORT: '1', TRUST_PROXY: value }).TRUST_PROXY;
    expect(trust(undefined)).toBe(false);
    expect(trust('')).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('1')).toBe(true);
    expect(trust('127.0.0.1, ::1')).toEqual(['127.0.0.1', '::1']);
    expect(trust('10.0.0.0/8,fd00::/8,loopback')).toEqual(['10.0.0.0/8', 'fd00::/8', 'loopback']);
    expect(() => trust('127.0.0.1,gateway.local')).toThrow(/TRUST_PROXY.*gateway\.local/);
    expect(() => trust('10.0.0.0/33')).toThrow(/TRUST_PROXY/);
  });
});
