import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type Caller, clientAddressKey, DomainError, type RateLimiterRes, Refusal, retryAfterSeconds } from '@app/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config/gateway.config.js';
import { ApiBudgets, reportedVerdict } from './api-budgets.js';

/** The headers every limited answer carries (docs/api.md, "Limits"), as GitHub and Mastodon name them. */
export const RATE_LIMIT_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'] as const;

/**
 * Rate limits of the public API (docs/api.md, "Limits"): per verified user, or per client IP for
 * anonymous calls and `/auth/*`. Registered after the platform's AuthGuard, so
 * `request.caller` is already verified here (a bad token is a 401 that costs
 * nothing). A request's budgets are consumed in parallel, one Redis round trip
 * each.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly enabled: boolean;

  constructor(
    private readonly budgets: ApiBudgets,
    @Inject(APP_CONFIG) config: GatewayConfig,
  ) {
    this.enabled = config.RATE_LIMIT_ENABLED;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.enabled || context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { caller?: Caller }>();
    const caller = request.caller;
    // The route template, not the raw URL: `//api/v1/auth/login` or `%2F` tricks do not pick another rule.
    const budgets = this.budgets.forHandler(context.getHandler(), request, caller !== undefined);
    if (budgets === undefined) return true;
    const userId = caller?.id ?? '';
    // IPv6 clients are counted by their /64.
    const address = clientAddressKey(request.ip);
    const reply = http.getResponse<FastifyReply>();
    if (budgets.length === 1) {
      // The common case (a read): no arrays, no verdict object.
      const budget = budgets[0];
      const outcome = await budget.take(budget.perUser ? userId : address);
      if (outcome instanceof Refusal) return refuse(reply, budget.limit, outcome.result);
      report(reply, budget.limit, outcome.remainingPoints, outcome);
      return true;
    }
    const outcomes = await Promise.all(budgets.map((budget) => budget.take(budget.perUser ? userId : address)));
    const verdict = reportedVerdict(budgets, outcomes);
    if (verdict.refused) return refuse(reply, verdict.budget.limit, verdict.result);
    report(reply, verdict.budget.limit, verdict.result.remainingPoints, verdict.result);
    return true;
  }
}

/** Reset: when the window ends, in epoch seconds (as GitHub's). */
function report(reply: FastifyReply, limit: number, remaining: number, result: RateLimiterRes): void {
  void reply
    .header('x-ratelimit-limit', String(limit))
    .header('x-ratelimit-remaining', String(remaining))
    .header('x-ratelimit-reset', String(Math.ceil((Date.now() + result.msBeforeNext) / 1000)));
}

/** 429 with Retry-After: the seconds until the window (or the in-memory block) ends. */
function refuse(reply: FastifyReply, limit: number, result: RateLimiterRes): never {
  report(reply, limit, 0, result);
  const wait = retryAfterSeconds(result);
  void reply.header('retry-after', String(wait));
  throw new DomainError('RATE_LIMITED', `Too many requests; retry in ${wait} s.`);
}
