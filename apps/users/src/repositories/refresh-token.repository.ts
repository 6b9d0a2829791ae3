import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface RefreshTokenRecord {
  id: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/** All SQL on users.refresh_tokens; tokens are looked up by their SHA-256 only. */
@Injectable()
export class RefreshTokenRepository {
  async insert(manager: EntityManager, token: { id: string; familyId: string; userId: string; hash: Buffer; expiresAt: Date }): Promise<void> {
    await manager.query(
      'INSERT INTO users.refresh_tokens (id, family_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [token.id, token.familyId, token.userId, token.hash, token.expiresAt],
    );
  }

  /** Finds and locks a token row, so two concurrent refreshes of one token cannot both rotate it. */
  async findForUpdate(manager: EntityManager, hash: Buffer): Promise<RefreshTokenRecord | undefined> {
    const rows = await manager.query<RefreshTokenRecord[]>(
      `SELECT id::text AS id, family_id::text AS "familyId", user_id::text AS "userId",
              expires_at AS "expiresAt", used_at AS "usedAt", revoked_at AS "revokedAt"
         FROM users.refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [hash],
    );
    return rows[0];
  }

  async markUsed(manager: EntityManager, id: string): Promise<void> {
    await manager.query('UPDATE users.refresh_tokens SET used_at = now() WHERE id = $1', [id]);
  }

  async revokeFamily(manager: EntityManager, familyId: string): Promise<void> {
    await manager.query('UPDATE users.refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [familyId]);
  }
}
