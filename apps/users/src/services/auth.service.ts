import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { LoginDto, TokensView } from '@app/api';
import { DomainError, SnowflakeGenerator } from '@app/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { RefreshTokenRepository } from '../repositories/refresh-token.repository.js';
import { UserRepository } from '../repositories/user.repository.js';
import { accountThrottleKey } from './login-keys.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import { hashRefreshToken, TokenIssuer } from './token-issuer.js';

const invalidCredentials = () => new DomainError('INVALID_CREDENTIALS', 'The login or the password is wrong.');
const invalidRefreshToken = () => new DomainError('UNAUTHENTICATED', 'The refresh token is invalid, expired or revoked.');

/** Login, refresh-token rotation with reuse detection, logout. */
@Injectable()
export class AuthService implements OnModuleInit {
  /** Verified instead of a real hash for unknown logins, so both cases cost the same time. */
  private decoyHash = '';

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly hasher: PasswordHasher,
    private readonly issuer: TokenIssuer,
    private readonly ids: SnowflakeGenerator,
    private readonly throttle: LoginThrottle,
  ) {}

  async onModuleInit(): Promise<void> {
    this.decoyHash = await this.hasher.hash(`decoy-${this.ids.next()}`);
  }

  /**
   * Checks a login from `clientIp`. The throttle answers (429) before any
   * argon2 work; only the cheap lookup of the account runs first, for known
   * and unknown logins alike.
   */
  async login(input: LoginDto, clientIp: string): Promise<TokensView> {
    const user = await this.users.findCredentials(input.login);
    const attempt = await this.throttle.admit(accountThrottleKey(input.login, user?.id), clientIp);
    const valid = await this.hasher.verify(user?.passwordHash ?? this.decoyHash, input.password);
    if (!user || !valid) throw invalidCredentials();
    await this.throttle.succeeded(attempt);
    return this.dataSource.transaction((manager) => this.issue(manager, user, this.ids.next()));
  }

  /**
   * Rotates a refresh token: the presented one is spent and a new one of the
   * same family is returned. Presenting a spent token again means it leaked:
   * the whole family is revoked (RFC 9700 §4.14.2).
   */
  async refresh(refreshToken: string): Promise<TokensView> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const stored = await this.refreshTokens.findForUpdate(manager, hashRefreshToken(refreshToken));
      if (!stored || stored.revokedAt) return undefined;
      if (stored.usedAt) {
        await this.refreshTokens.revokeFamily(manager, stored.familyId);
        return undefined;
      }
      if (stored.expiresAt.getTime() <= Date.now()) return undefined;
      const user = await this.users.findById(stored.userId, manager);
      if (!user) return undefined;
      await this.refreshTokens.markUsed(manager, stored.id);
      return this.issue(manager, user, stored.familyId);
    });
    if (!outcome) throw invalidRefreshToken();
    return outcome;
  }

  /** Ends the session the refresh token belongs to (its whole family). */
  async logout(refreshToken: string): Promise<void> {
    const revoked = await this.dataSource.transaction(async (manager) => {
      const stored = await this.refreshTokens.findForUpdate(manager, hashRefreshToken(refreshToken));
      if (!stored || stored.revokedAt || stored.usedAt || stored.expiresAt.getTime() <= Date.now()) return false;
      await this.refreshTokens.revokeFamily(manager, stored.familyId);
      return true;
    });
    if (!revoked) throw invalidRefreshToken();
  }

  private async issue(manager: EntityManager, user: { id: string; username: string }, familyId: string): Promise<TokensView> {
    const refresh = this.issuer.newRefreshToken();
    await this.refreshTokens.insert(manager, { id: this.ids.next(), familyId, userId: user.id, hash: refresh.hash, expiresAt: refresh.expiresAt });
    return this.issuer.tokens(await this.issuer.accessToken(user), refresh.token);
  }
}
