import { decodeCursor, decodeIdCursor, encodeCursor, invalidCursor } from '@app/api';
import { isSnowflakeId } from '@app/platform';
import type { RankPosition } from '../repositories/post-index.repository.js';

/** The two orders of GET /search/posts (docs/api.md, "Experiments"). */
export type PostOrder = 'newest' | 'relevance';

/** Where a page continues: after an id (newest first), or after a score at a frozen time (relevance). */
export type PostCursor = { order: 'newest'; beforeId: string } | { order: 'relevance'; now: Date; after: RankPosition };

// float8 as Postgres writes it: shortest exact digits, exponent when very small or large.
const SCORE = /^(?:\d+(?:\.\d+)?|\d(?:\.\d+)?e[-+]\d{1,3})$/;
/** The ids' epoch (2026-01-01T00:00:00Z): no page was asked for before it. */
const EPOCH_MS = Date.UTC(2026, 0, 1);
const CLOCK_SKEW_MS = 60_000;

/**
 * Reads `?cursor=`: a cursor keeps the order (and, ranked, the time) of the
 * page it came from, so paging on goes on in that order even if the caller's
 * variant changed in between. Anything else is the usual 400.
 */
export function parsePostCursor(cursor: string, nowMs: number = Date.now()): PostCursor {
  const beforeId = decodeIdCursor(cursor);
  if (beforeId !== undefined) return { order: 'newest', beforeId };
  const value = decodeCursor(cursor) as Partial<Record<'t' | 's' | 'i', unknown>> | null | undefined;
  if (
    typeof value !== 'object' ||
    value === null ||
    !Number.isSafeInteger(value.t) ||
    (value.t as number) < EPOCH_MS ||
    (value.t as number) > nowMs + CLOCK_SKEW_MS ||
    typeof value.s !== 'string' ||
    !SCORE.test(value.s) ||
    !isSnowflakeId(value.i)
  ) {
    throw invalidCursor();
  }
  return { order: 'relevance', now: new Date(value.t as number), after: { score: value.s, id: value.i } };
}

export function encodeRankCursor(now: Date, last: RankPosition): string {
  return encodeCursor({ t: now.getTime(), s: last.score, i: last.id });
}

export { encodeIdCursor } from '@app/api';
