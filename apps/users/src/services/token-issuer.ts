import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { TokensView } from '@app/api';
import { APP_CONFIG, resolvePem, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@app/platform';
import { type CryptoKey, importPKCS8, SignJWT } from 'jose';
import type { UsersConfig } from '../config/users.config.js';

/** SHA-256 of a refresh token: what the database stores and looks up. */
export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Signs short-lived ES256 access tokens and makes random refresh tokens. */
@Injectable()
export class TokenIssuer {
  private readonly key: Promise<CryptoKey>;

  constructor(@Inject(APP_CONFIG) private readonly config: UsersConfig) {
    this.key = importPKCS8(resolvePem('JWT_PRIVATE_KEY', config.JWT_PRIVATE_KEY, config.JWT_PRIVATE_KEY_FILE), TOKEN_ALGORITHM);
  }

  async accessToken(user: { id: string; username: string }): Promise<string> {
    return new SignJWT({ preferred_username: user.username })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.config.ACCESS_TOKEN_TTL_SECONDS}s`)
      .setJti(randomUUID())
      .sign(await this.key);
  }

  newRefreshToken(): { token: string; hash: Buffer; expiresAt: Date } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: hashRefreshToken(token), expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000) };
  }

  tokens(accessToken: string, refreshToken: string): TokensView {
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS };
  }
}
