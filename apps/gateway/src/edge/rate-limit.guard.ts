import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type Caller, DomainError, type RateLimiterRes, type Refusal, retryAfterSeconds } from '@app/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config/gateway.config.js';
import { ApiBudgets, reportedVerdict } from './api-budgets.js';

/** The headers every limited answer carries (docs/api.md, "Limits"), as GitHub and Mastodon name them. */
export const RATE_LIMIT_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'] as const;

/**
 * Rate limits of the public API: per verified user, or per client IP for
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
    const budgets = this.budgets.select(request.routeOptions.url, request.method, caller !== undefined);
    if (budgets === undefined) return true;
    const userId = caller?.id ?? '';
    let outcomes: (RateLimiterRes | Refusal)[];
    if (budgets.length === 1) outcomes = [await budgets[0].take(budgets[0].perUser ? userId : request.ip)];
    else outcomes = await Promise.all(budgets.map((budget) => budget.take(budget.perUser ? userId : request.ip)));
    const verdict = reportedVerdict(budgets, outcomes);
    const reply = http.getResponse<FastifyReply>();
    const { result } = verdict;
    // Reset: when the window ends, in epoch seconds (as GitHub's); Retry-After: the seconds until then.
    void reply
      .header('x-ratelimit-limit', String(verdict.budget.limit))
      .header('x-ratelimit-remaining', String(verdict.refused ? 0 : result.remainingPoints))
      .header('x-ratelimit-reset', String(Math.ceil((Date.now() + result.msBeforeNext) / 1000)));
    if (!verdict.refused) return true;
    const wait = retryAfterSeconds(result);
    void reply.header('retry-after', String(wait));
    throw new DomainError('RATE_LIMITED', `Too many requests; retry in ${wait} s.`);
  }
}
