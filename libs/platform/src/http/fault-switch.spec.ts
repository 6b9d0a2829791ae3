import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig, serviceEnv } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { Metrics } from '../metrics/instruments.js';
import { installFaultSwitch } from './fault-switch.js';
import { installRequestHooks } from './request-hooks.js';

const logger = createLogger('spec', 'silent');

async function app(route: string | undefined): Promise<FastifyInstance> {
  const fastify = Fastify();
  installRequestHooks(fastify, logger);
  installFaultSwitch(fastify, route, logger);
  fastify.get('/posts/:id', () => ({ ok: true }));
  fastify.delete('/posts/:id', () => ({ ok: true }));
  fastify.get('/feed', () => ({ ok: true }));
  await fastify.ready();
  return fastify;
}

describe('the fault switch', () => {
  it('answers 500 on its route only, counted as a 5xx of that route', async () => {
    const fastify = await app('GET /posts/:id');
    const before = (await Metrics.httpRequests.get()).values.find((v) => v.labels.route === '/posts/:id' && v.labels.status === '500')?.value ?? 0;
    const failed = await fastify.inject({ method: 'GET', url: '/posts/42', headers: { 'x-request-id': 'fault-1' } });
    expect(failed.statusCode).toBe(500);
    expect(failed.headers['content-type']).toContain('application/problem+json');
    expect(failed.json()).toMatchObject({ status: 500, code: 'INTERNAL', requestId: 'fault-1' });
    expect((await fastify.inject({ method: 'DELETE', url: '/posts/42' })).statusCode).toBe(200);
    expect((await fastify.inject({ method: 'GET', url: '/feed' })).statusCode).toBe(200);
    const after = (await Metrics.httpRequests.get()).values.find((v) => v.labels.route === '/posts/:id' && v.labels.status === '500')?.value ?? 0;
    expect(after - before).toBe(1);
    await fastify.close();
  });

  it('is off when unset', async () => {
    const fastify = await app(undefined);
    expect((await fastify.inject({ method: 'GET', url: '/posts/42' })).statusCode).toBe(200);
    await fastify.close();
  });

  it('takes a method and a route template, and nothing else', () => {
    expect(loadConfig(serviceEnv, { PORT: '1', FAULT_500_ROUTE: 'GET /posts/:id' }).FAULT_500_ROUTE).toBe('GET /posts/:id');
    expect(loadConfig(serviceEnv, { PORT: '1', FAULT_500_ROUTE: '' }).FAULT_500_ROUTE).toBeUndefined();
    expect(() => loadConfig(serviceEnv, { PORT: '1', FAULT_500_ROUTE: '/posts/:id' })).toThrow(/FAULT_500_ROUTE/);
    expect(loadConfig(serviceEnv, { PORT: '1' }).RELEASE_TRACK).toBe('stable');
    expect(() => loadConfig(serviceEnv, { PORT: '1', RELEASE_TRACK: 'beta' })).toThrow(/RELEASE_TRACK/);
  });
});
