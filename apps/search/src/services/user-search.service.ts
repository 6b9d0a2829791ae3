import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, invalidCursor, type Page, toUserView, type UserView } from '@app/api';
import { isSnowflakeId } from '@app/platform';
import { UserIndexRepository, type UserRank } from '../repositories/user-index.repository.js';

function parseCursor(cursor: string | undefined): UserRank | undefined {
  if (cursor === undefined) return undefined;
  const value = decodeCursor(cursor) as Partial<Record<'e' | 'p' | 's' | 'i', unknown>> | undefined;
  const flag = (v: unknown): v is 0 | 1 => v === 0 || v === 1;
  if (!value || !flag(value.e) || !flag(value.p) || typeof value.s !== 'string' || !/^[01](\.\d{1,4})?$/.test(value.s) || !isSnowflakeId(value.i)) {
    throw invalidCursor();
  }
  return { exact: value.e, prefix: value.p, score: value.s, id: value.i };
}

@Injectable()
export class UserSearchService {
  constructor(private readonly index: UserIndexRepository) {}

  async search(query: string, limit: number, cursor: string | undefined, callerId: string | undefined): Promise<Page<UserView>> {
    const rows = await this.index.findRanked(query, limit + 1, callerId, parseCursor(cursor));
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const nextCursor = rows.length > limit && last ? encodeCursor({ e: last.exact, p: last.prefix, s: last.score, i: last.id }) : null;
    return { items: items.map((user) => toUserView(user, callerId === undefined ? undefined : user.followedByMe)), nextCursor };
  }
}
