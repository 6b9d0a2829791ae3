import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface UserRecord {
  id: string;
  username: string;
  email: string;
  displayName: string;
  bio: string;
  createdAt: Date;
}

export interface NewUser {
  id: string;
  username: string;
  email: string;
  passwordHash: string;
  displayName: string;
}

const COLUMNS = `id::text AS id, username, email, display_name AS "displayName", bio, created_at AS "createdAt"`;

/** All SQL on users.users. Callers pass the transaction's manager. */
@Injectable()
export class UserRepository {
  async insert(manager: EntityManager, user: NewUser): Promise<UserRecord> {
    const rows = await manager.query<UserRecord[]>(
      `INSERT INTO users.users (id, username, email, password_hash, display_name)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [user.id, user.username, user.email, user.passwordHash, user.displayName],
    );
    return rows[0];
  }
}
