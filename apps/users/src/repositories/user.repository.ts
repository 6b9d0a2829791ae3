import { Injectable } from '@nestjs/common';
import { DatabaseReads } from '@app/platform';
import { DataSource, type EntityManager } from 'typeorm';

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

/** Follower, following and post counts, learned from events (users.user_stats). */
export interface UserCounts {
  followersCount: number;
  followingCount: number;
  postsCount: number;
}

export type UserWithCounts = UserRecord & UserCounts;

const COLUMNS = `id::text AS id, username, email, display_name AS "displayName", bio, created_at AS "createdAt"`;
// For queries that LEFT JOIN users.user_stats: no stats row yet means zero.
const COUNTS = `COALESCE(user_stats.followers_count, 0) AS "followersCount", COALESCE(user_stats.following_count, 0) AS "followingCount",
  COALESCE(user_stats.posts_count, 0) AS "postsCount"`;

/** All SQL on users.users. Writes take the transaction's manager. */
@Injectable()
export class UserRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reads: DatabaseReads,
  ) {}

  async insert(manager: EntityManager, user: NewUser): Promise<UserRecord> {
    const rows = await manager.query<UserRecord[]>(
      `INSERT INTO users.users (id, username, email, password_hash, display_name)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [user.id, user.username, user.email, user.passwordHash, user.displayName],
    );
    return rows[0];
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<UserRecord | undefined> {
    const rows = await manager.query<UserRecord[]>(`SELECT ${COLUMNS} FROM users.users WHERE id = $1`, [id]);
    return rows[0];
  }

  async findWithCounts(id: string): Promise<UserWithCounts | undefined> {
    const rows = await this.dataSource.query<UserWithCounts[]>(
      `SELECT ${COLUMNS}, ${COUNTS} FROM users.users LEFT JOIN users.user_stats ON user_stats.user_id = users.id WHERE users.id = $1`,
      [id],
    );
    return rows[0];
  }

  /** The public profile: may lag, so the standby serves it when there is one (docs/scaling.md, "Postgres standby"). */
  async findByUsername(username: string): Promise<UserWithCounts | undefined> {
    const rows = await this.reads.query<UserWithCounts[]>(
      `SELECT ${COLUMNS}, ${COUNTS} FROM users.users LEFT JOIN users.user_stats ON user_stats.user_id = users.id WHERE lower(username) = lower($1)`,
      [username],
    );
    return rows[0];
  }

  /** Username or email, case-insensitively, with the password hash for verification. */
  async findCredentials(login: string): Promise<(UserRecord & { passwordHash: string }) | undefined> {
    const column = login.includes('@') ? 'email' : 'username';
    const rows = await this.dataSource.query<(UserRecord & { passwordHash: string })[]>(
      `SELECT ${COLUMNS}, password_hash AS "passwordHash" FROM users.users WHERE lower(${column}) = lower($1)`,
      [login],
    );
    return rows[0];
  }

  /** Locks the row for the rest of the transaction, so concurrent edits apply and publish in order. */
  async updateProfile(manager: EntityManager, id: string, changes: { displayName?: string; bio?: string }): Promise<UserWithCounts | undefined> {
    const rows = await manager.query<UserWithCounts[]>(
      // Wrapped in a CTE: TypeORM returns [rows, count] for a bare UPDATE … RETURNING.
      `WITH updated AS (
         UPDATE users.users
            SET display_name = COALESCE($2, display_name), bio = COALESCE($3, bio), updated_at = now()
          WHERE id = $1
          RETURNING *)
       SELECT ${COLUMNS}, ${COUNTS} FROM updated LEFT JOIN users.user_stats ON user_stats.user_id = updated.id`,
      [id, changes.displayName ?? null, changes.bio ?? null],
    );
    return rows[0];
  }
}
