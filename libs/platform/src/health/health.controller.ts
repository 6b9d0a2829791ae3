import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { problemFor, PROBLEM_CONTENT_TYPE } from '../errors/problem.js';
import { currentRequestId } from '../logging/request-context.js';
import { Public } from '../auth/auth.guard.js';
import type { HealthCheck } from './health-check.js';
import { ShutdownDrain } from './shutdown-drain.js';

export const HEALTH_CHECK_LIST = Symbol('HEALTH_CHECK_LIST');
/** Checks reported in /health/ready whose failure leaves the app ready (HealthModule's `degradable`). */
export const OPTIONAL_HEALTH_CHECKS = Symbol('OPTIONAL_HEALTH_CHECKS');
const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(check: HealthCheck): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    check.check().then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HEALTH_CHECK_LIST) private readonly checks: HealthCheck[],
    @Inject(OPTIONAL_HEALTH_CHECKS) private readonly optionalChecks: HealthCheck[],
    private readonly drain: ShutdownDrain,
  ) {}

  /** The process runs and its event loop turns. */
  @Get('live')
  @Header('cache-control', 'no-store')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Every required dependency answers; otherwise 503 naming the ones that do not. Degradable ones are only reported. */
  @Get('ready')
  @Header('cache-control', 'no-store')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    if (this.drain.draining) {
      void reply.status(503).header('content-type', PROBLEM_CONTENT_TYPE);
      return problemFor('NOT_READY', 'Not ready: shutting down.', currentRequestId());
    }
    const all = [...this.checks, ...this.optionalChecks];
    const results = await Promise.allSettled(all.map(withTimeout));
    const checks: Record<string, 'up' | 'down' | 'degraded'> = {};
    const failing: string[] = [];
    results.forEach((result, index) => {
      const { name } = all[index];
      const required = index < this.checks.length;
      checks[name] = result.status === 'fulfilled' ? 'up' : required ? 'down' : 'degraded';
      if (result.status === 'rejected' && required) failing.push(name);
    });
    if (failing.length === 0) return { status: 'ok', checks };
    void reply.status(503).header('content-type', PROBLEM_CONTENT_TYPE);
    return { ...problemFor('NOT_READY', `Not ready: ${failing.join(', ')} did not answer.`, currentRequestId()), failing, checks };
  }
}
