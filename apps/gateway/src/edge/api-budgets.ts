import { consumeOne, type InsuredLimiter, insuredLimiter, type RateLimiterRes, type RedisClient, Refusal } from '@app/platform';
import type { FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config/gateway.config.js';
import { BUDGET_LISTS, type BudgetName, budgetsFor, isPerUser } from './rate-limit-rules.js';

/** One budget: a limit per window, counted per user or per client IP. */
export class Budget {
  readonly perUser: boolean;

  constructor(
    readonly name: BudgetName,
    readonly limit: number,
    private readonly limiter: InsuredLimiter,
  ) {
    this.perUser = isPerUser(name);
  }

  /** One Redis round trip (none once the key is refused in this process until its window ends). */
  take(key: string): Promise<RateLimiterRes | Refusal> {
    return consumeOne(this.limiter, key);
  }
}

/** What a request's budgets answered, reduced to the one its headers report. */
export interface Verdict {
  budget: Budget;
  result: RateLimiterRes;
  refused: boolean;
}

/**
 * The one budget a response reports in X-RateLimit-*: a refusing one (the
 * longest wait when several refuse), otherwise the one with the fewest
 * requests left (the first on a tie).
 */
export function reportedVerdict(budgets: readonly Budget[], outcomes: readonly (RateLimiterRes | Refusal)[]): Verdict {
  let index = 0;
  for (let i = 1; i < outcomes.length; i++) if (moreUrgent(outcomes[i], outcomes[index])) index = i;
  const outcome = outcomes[index];
  return outcome instanceof Refusal ? { budget: budgets[index], result: outcome.result, refused: true } : { budget: budgets[index], result: outcome, refused: false };
}

function moreUrgent(candidate: RateLimiterRes | Refusal, current: RateLimiterRes | Refusal): boolean {
  const candidateRefused = candidate instanceof Refusal;
  const currentRefused = current instanceof Refusal;
  if (candidateRefused !== currentRefused) return candidateRefused;
  if (candidate instanceof Refusal && current instanceof Refusal) return candidate.result.msBeforeNext > current.result.msBeforeNext;
  return (candidate as RateLimiterRes).remainingPoints < (current as RateLimiterRes).remainingPoints;
}

/**
 * The gateway's request budgets (docs/api.md, "Limits"), counted in Redis and
 * shared by every replica, with in-process insurance while Redis is away.
 */
export class ApiBudgets {
  private readonly lists = new Map<readonly BudgetName[], readonly Budget[]>();
  /** Per route handler: its budgets without and with a caller (a handler serves one route template and method). */
  private readonly byHandler = new Map<object, readonly [readonly Budget[] | undefined, readonly Budget[] | undefined]>();

  constructor(redis: RedisClient, config: GatewayConfig) {
    const limits: Record<BudgetName, number> = {
      'api-user': config.RATE_LIMIT_API_PER_USER,
      'api-ip': config.RATE_LIMIT_API_PER_IP,
      'search-user': config.RATE_LIMIT_SEARCH_PER_USER,
      'search-ip': config.RATE_LIMIT_SEARCH_PER_IP,
      'writes-user': config.RATE_LIMIT_WRITES_PER_USER,
      'auth-ip': config.RATE_LIMIT_AUTH_PER_IP,
    };
    const budgets = new Map<BudgetName, Budget>();
    for (const [name, limit] of Object.entries(limits) as [BudgetName, number][]) {
      const limiter = insuredLimiter(redis, {
        keyPrefix: `${config.RATE_LIMIT_KEY_PREFIX}${name}`,
        points: limit,
        durationSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
        blockRefusedInMemory: true,
        timeoutMs: config.REDIS_REQUEST_TIMEOUT_MS,
      });
      budgets.set(name, new Budget(name, limit, limiter));
    }
    for (const list of BUDGET_LISTS) this.lists.set(list, Object.freeze(list.map((name) => budgets.get(name) as Budget)));
  }

  /** The budgets of a request, or undefined when the route is not limited. */
  select(route: string | undefined, method: string, authenticated: boolean): readonly Budget[] | undefined {
    const names = budgetsFor(route, method, authenticated);
    return names === undefined ? undefined : this.lists.get(names);
  }

  /**
   * select() remembered per route handler: Fastify builds a new object each
   * time `request.routeOptions` is read, so the route template is read once
   * per handler, not once per request.
   */
  forHandler(handler: object, request: Pick<FastifyRequest, 'routeOptions' | 'method'>, authenticated: boolean): readonly Budget[] | undefined {
    let entry = this.byHandler.get(handler);
    if (entry === undefined) {
      const template = request.routeOptions.url;
      entry = [this.select(template, request.method, false), this.select(template, request.method, true)] as const;
      this.byHandler.set(handler, entry);
    }
    return entry[authenticated ? 1 : 0];
  }
}
