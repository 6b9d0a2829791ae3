/**
 * Cursors over Snowflake ids (`id < cursor`, never OFFSET). The cursor is
 * opaque to clients: base64url of the id, so it can change form later.
 */
const ID = /^[1-9][0-9]{0,18}$/;

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

/** Builds a page from `limit + 1` rows fetched newest first. */
export function pageOf<T extends { id: string }, V>(rows: T[], limit: number, view: (row: T) => V, cursorId: (row: T) => string = (row) => row.id) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), nextCursor: rows.length > limit && last ? encodeIdCursor(cursorId(last)) : null };
}
