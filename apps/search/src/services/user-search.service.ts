import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, type Page, type UserView } from '@app/api';
import { DomainError, isSnowflakeId } from '@app/platform';
import { type IndexedUser, UserIndexRepository } from '../repositories/user-index.repository.js';

function toView(user: IndexedUser): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    bio: user.bio,
    createdAt: user.createdAt.toISOString(),
    followersCount: 0,
    followingCount: 0,
    postsCount: 0,
  };
}

function parseCursor(cursor: string | undefined): { name: string; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const value = decodeCursor(cursor) as { n?: unknown; i?: unknown } | undefined;
  if (typeof value?.n !== 'string' || !isSnowflakeId(value.i)) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid field(s): cursor', [{ field: 'cursor', message: 'is not a valid cursor' }]);
  }
  return { name: value.n, id: value.i };
}

@Injectable()
export class UserSearchService {
  constructor(private readonly index: UserIndexRepository) {}

  async search(query: string, limit: number, cursor?: string): Promise<Page<UserView>> {
    const rows = await this.index.findByPrefix(query, limit + 1, parseCursor(cursor));
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const nextCursor = rows.length > limit && last ? encodeCursor({ n: last.username.toLowerCase(), i: last.id }) : null;
    return { items: items.map(toView), nextCursor };
  }
}
