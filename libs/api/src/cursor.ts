import { DomainError } from '@app/platform';

/*
 * Page cursors of the public API (docs/api.md, "Pagination"): opaque to
 * clients, never an OFFSET. The one copy of their encoding and of the 400 a
 * cursor that is not ours gets.
 */

const ID = /^[1-9][0-9]{0,18}$/;

/** The 400 for a `?cursor=` that is not one of ours, naming the field. */
export function invalidCursor(): DomainError {
  return new DomainError('VALIDATION_FAILED', 'Invalid field(s): cursor', [{ field: 'cursor', message: 'is not a valid cursor' }]);
}

/** A cursor over Snowflake ids (`id < cursor`): base64url of the id, so it can change form later. */
export function encodeIdCursor(id: string): string {
  return Buffer.from(`i:${id}`).toString('base64url');
}

/** The id inside a cursor, or undefined when the cursor is not one of ours. */
export function decodeIdCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('i:')) return undefined;
  const id = text.slice(2);
  return ID.test(id) && BigInt(id) < 1n << 63n ? id : undefined;
}

/** The id inside an optional `?cursor=` (undefined for the first page); a cursor that is not ours is a 400. */
export function idFromCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = decodeIdCursor(cursor);
  if (id === undefined) throw invalidCursor();
  return id;
}

/** A cursor over a ranking other than the id (search): base64url of a small JSON value. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The JSON value inside such a cursor, or undefined; the caller checks its shape. */
export function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Builds a page from `limit + 1` rows fetched newest first; `cursorId` picks the id the next page starts below. */
export function pageOf<T extends { id: string }, V>(rows: T[], limit: number, view: (row: T) => V, cursorId: (row: T) => string = (row) => row.id) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), nextCursor: rows.length > limit && last ? encodeIdCursor(cursorId(last)) : null };
}
