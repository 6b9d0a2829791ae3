import { Inject, Injectable } from '@nestjs/common';
import { type CryptoKey, importSPKI, jwtVerify } from 'jose';
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

/**
 * Verifies access tokens: ES256 signature with the users service's public
 * key (no other algorithm, so `alg: none` and HMAC-with-the-public-key
 * forgeries fail), issuer, audience and expiry.
 */
@Injectable()
export class TokenVerifier {
  private key?: Promise<CryptoKey>;
  private readonly pem: string;

  constructor(@Inject(APP_CONFIG) config: TokenVerificationEnv) {
    this.pem = resolvePem('JWT_PUBLIC_KEY', config.JWT_PUBLIC_KEY, config.JWT_PUBLIC_KEY_FILE);
  }

  async verify(token: string): Promise<Caller> {
    this.key ??= importSPKI(this.pem, TOKEN_ALGORITHM);
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const username = payload.preferred_username;
      if (!isSnowflakeId(payload.sub) || typeof username !== 'string') throw new Error('unexpected claims');
      return { id: payload.sub, username };
    } catch {
      throw new DomainError('UNAUTHENTICATED', 'The access token is invalid or expired.');
    }
  }
}
