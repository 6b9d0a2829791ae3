import type { FastifyReply } from 'fastify';
import type { HealthCheck } from './health-check.js';
import { HealthController } from './health.controller.js';
import { ShutdownDrain } from './shutdown-drain.js';

const up = (name: string): HealthCheck => ({ name, check: () => Promise.resolve() });
const down = (name: string): HealthCheck => ({ name, check: () => Promise.reject(new Error(`${name} refused`)) });

/** The parts of a Fastify reply the controller sets. */
function fakeReply(): FastifyReply & { statusCode: number } {
  const reply = {
    statusCode: 200,
    status(code: number) {
      reply.statusCode = code;
      return reply;
    },
    header() {
      return reply;
    },
  };
  return reply as unknown as FastifyReply & { statusCode: number };
}

describe('HealthController /health/ready', () => {
  const drain = new ShutdownDrain({ SHUTDOWN_DRAIN_MS: 0 });

  it('is ready when every required check answers, and reports a failing degradable one', async () => {
    const reply = fakeReply();
    const body = await new HealthController([up('postgres'), up('kafka')], [down('redis')], drain).ready(reply);
    expect(reply.statusCode).toBe(200);
    expect(body).toEqual({ status: 'ok', checks: { postgres: 'up', kafka: 'up', redis: 'degraded' } });
  });

  it('answers 503 naming the required checks that fail, whatever the degradable ones say', async () => {
    const reply = fakeReply();
    const body = await new HealthController([up('postgres'), down('kafka')], [up('redis')], drain).ready(reply);
    expect(reply.statusCode).toBe(503);
    expect(body).toMatchObject({ code: 'NOT_READY', failing: ['kafka'], checks: { postgres: 'up', kafka: 'down', redis: 'up' } });
  });

  it('is ready with no required check at all (the gateway)', async () => {
    const reply = fakeReply();
    await new HealthController([], [down('redis')], drain).ready(reply);
    expect(reply.statusCode).toBe(200);
  });
});
