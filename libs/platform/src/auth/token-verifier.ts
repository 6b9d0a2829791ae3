import { Inject, Injectable } from '@nestjs/common';
import { type CryptoKey, decodeJwt, importSPKI, jwtVerify } from 'jose';
import { BoundedCache } from '../cache/bounded-cache.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../errors/error-codes.js';
import { isSnowflakeId } from '../ids/snowflake.js';
import { resolvePem, TOKEN_AUDIENCE, TOKEN_ISSUER, type TokenVerificationEnv } from './auth-config.js';

export const TOKEN_ALGORITHM = 'ES256';

/** The authenticated caller, as the access token tells. */
export interface Caller {
  id: string;
  username: string;
}

/** Verified tokens kept in memory: an ECDSA check per request is a large share of a cheap read. */
const CACHE_SIZE = 10_000;

/**
 * Verifies access tokens: ES256 signature with the users service's public
 * key (no other algorithm, so `alg: none` and HMAC-with-the-public-key
 * forgeries fail), issuer, audience and expiry.
 */

@Injectable()
export class TokenVerifier {
  private key?: Promise<CryptoKey>;
  private readonly pem: string;
  /** Each entry expires with its token. */
  private readonly verified = new BoundedCache<string, Caller>({ name: 'verified-tokens', maxEntries: CACHE_SIZE });

  constructor(@Inject(APP_CONFIG) config: TokenVerificationEnv) {
    this.pem = resolvePem('JWT_PUBLIC_KEY', config.JWT_PUBLIC_KEY, config.JWT_PUBLIC_KEY_FILE);
  }

  async verify(token: string): Promise<Caller> {
    const cached = this.verified.get(token);
    if (cached) return cached;
    const { caller, expiresAtMs } = await this.verifySignature(token);
    this.verified.set(token, caller, expiresAtMs - Date.now());
    return caller;
  }

  private async verifySignature(token: string): Promise<{ caller: Caller; expiresAtMs: number }> {
    this.key ??= importSPKI(this.pem, TOKEN_ALGORITHM);
    try {
      // A token that says it has expired is refused before the costly signature check: a
      // client (or an attacker) replaying stale tokens must not cost an ECDSA verification each.
      const claimedExpiry = decodeJwt(token).exp;
      if (typeof claimedExpiry === 'number' && claimedExpiry * 1000 <= Date.now()) throw new Error('expired');
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const username = payload.preferred_username;
      if (!isSnowflakeId(payload.sub) || typeof username !== 'string' || typeof payload.exp !== 'number') throw new Error('unexpected claims');
      return { caller: { id: payload.sub, username }, expiresAtMs: payload.exp * 1000 };
    } catch {
      throw new DomainError('UNAUTHENTICATED', 'The access token is invalid or expired.');
    }
  }
}
