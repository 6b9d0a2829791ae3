import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, clientAddressKey, consumeOne, DomainError, type InsuredLimiter, insuredLimiter, REDIS, type RedisClient, Refusal, retryAfterSeconds } from '@app/platform';
import type { UsersConfig } from '../config/users.config.js';
import { blockSeconds } from './login-keys.js';

/** How long an account's blocks are remembered for the doubling. */
const BLOCK_MEMORY_SECONDS = 86_400;

/** A login refused by the throttle, before its password was looked at. */
export class LoginThrottled extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many failed logins; retry in ${retryAfterSeconds} s.`);
  }
}

/** An attempt the throttle let through: what to settle once the password is checked. */
export interface AdmittedLogin {
  accountKey: string;
  ip: string;
}

/**
 * Login throttling (docs/api.md, "Login throttling"). Every attempt takes a
 * point from its account key and its client IP *before* the password is
 * checked, atomically in Redis, so that concurrent guesses cannot all slip in
 * under the limit; a success gives them back (the account's counter is
 * deleted, the IP's point refunded), so what remains counted are failures.
 * An account over its budget is blocked, for longer each time within 24 h.
 */
@Injectable()
export class LoginThrottle {
  private readonly enabled: boolean;
  private readonly accountFails: InsuredLimiter;
  private readonly accountBlocks: InsuredLimiter;
  private readonly ipFails: InsuredLimiter;

  constructor(@Inject(REDIS) redis: RedisClient, @Inject(APP_CONFIG) private readonly config: UsersConfig) {
    this.enabled = config.RATE_LIMIT_ENABLED;
    const prefix = `${config.RATE_LIMIT_KEY_PREFIX}login:`;
    this.accountFails = insuredLimiter(redis, { keyPrefix: `${prefix}account`, points: config.LOGIN_FAILS_PER_ACCOUNT, durationSeconds: config.LOGIN_FAIL_WINDOW_SECONDS, timeoutMs: config.REDIS_REQUEST_TIMEOUT_MS });
    // Counts blocks, never refuses: its points are a ceiling nobody reaches.
    this.accountBlocks = insuredLimiter(redis, { keyPrefix: `${prefix}blocks`, points: 1_000_000_000, durationSeconds: BLOCK_MEMORY_SECONDS, timeoutMs: config.REDIS_REQUEST_TIMEOUT_MS });
    this.ipFails = insuredLimiter(redis, { keyPrefix: `${prefix}ip`, points: config.LOGIN_FAILS_PER_IP, durationSeconds: config.LOGIN_IP_WINDOW_SECONDS, timeoutMs: config.REDIS_REQUEST_TIMEOUT_MS });
  }

  /** Takes the attempt's points, or throws LoginThrottled (429) and leaves nothing counted for a refused attempt. */
  async admit(accountKey: string, clientIp: string): Promise<AdmittedLogin> {
    // IPv6 clients are counted by their /64.
    const ip = clientAddressKey(clientIp);
    const attempt = { accountKey, ip };
    if (!this.enabled) return attempt;
    const [account, address] = await Promise.all([consumeOne(this.accountFails, accountKey), consumeOne(this.ipFails, ip)]);
    if (account instanceof Refusal) {
      // The password was not checked: the address keeps its point.
      if (!(address instanceof Refusal)) await this.ipFails.reward(ip);
      throw new LoginThrottled(await this.accountRetryAfter(accountKey, account));
    }
    if (address instanceof Refusal) {
      await this.accountFails.reward(accountKey);
      throw new LoginThrottled(retryAfterSeconds(address.result));
    }
    return attempt;
  }

  /** The password was right: the account starts afresh and the address gets its point back. */
  async succeeded(attempt: AdmittedLogin): Promise<void> {
    if (!this.enabled) return;
    await Promise.all([this.accountFails.delete(attempt.accountKey), this.ipFails.reward(attempt.ip)]);
  }

  /**
   * The attempt that first goes over the budget starts a block; later ones
   * are told what is left of it.
   */
  private async accountRetryAfter(accountKey: string, refusal: Refusal): Promise<number> {
    if (refusal.result.consumedPoints !== this.config.LOGIN_FAILS_PER_ACCOUNT + 1) return retryAfterSeconds(refusal.result);
    const blocks = await this.accountBlocks.penalty(accountKey);
    const seconds = blockSeconds(blocks.consumedPoints, this.config.LOGIN_BLOCK_SECONDS, this.config.LOGIN_BLOCK_MAX_SECONDS);
    await this.accountFails.block(accountKey, seconds);
    return seconds;
  }
}
