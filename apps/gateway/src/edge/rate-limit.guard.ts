import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type Caller, DomainError } from '@app/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config/gateway.config.js';
import { RedisRateLimiter } from './rate-limiter.js';

const AUTH_ROUTES = '/api/v1/auth/';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Rate limits of the public API (docs/api.md, "Rate limits"): per client IP on
 * `/auth/*`, per authenticated user on every other write. Registered after
 * the platform's AuthGuard, so `request.caller` is already verified here.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RedisRateLimiter,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.config.RATE_LIMIT_ENABLED || context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { caller?: Caller }>();
    const rule = this.ruleFor(request);
    if (!rule) return true;
    const verdict = await this.limiter.hit(rule.key, rule.limit);
    if (verdict.allowed) return true;
    void http.getResponse<FastifyReply>().header('retry-after', String(verdict.retryAfterSeconds));
    throw new DomainError('RATE_LIMITED', `Too many requests; retry in ${verdict.retryAfterSeconds} s.`);
  }

  private ruleFor(request: FastifyRequest & { caller?: Caller }): { key: string; limit: number } | undefined {
    // The route template, not the raw URL: `//api/v1/auth/login` or `%2F` tricks do not dodge the rule.
    const route = request.routeOptions.url ?? '';
    if (route.startsWith(AUTH_ROUTES)) return { key: `auth:ip:${request.ip}`, limit: this.config.RATE_LIMIT_AUTH_PER_IP };
    if (!WRITE_METHODS.has(request.method)) return undefined;
    // Writes need a token, so the caller is known; by IP should a route ever allow anonymous writes.
    const who = request.caller ? `user:${request.caller.id}` : `ip:${request.ip}`;
    return { key: `writes:${who}`, limit: this.config.RATE_LIMIT_WRITES_PER_USER };
  }
}
