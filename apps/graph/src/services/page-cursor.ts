import { decodeIdCursor } from '@app/api';
import { DomainError } from '@app/platform';

/** The edge id inside a list cursor; a cursor that is not ours is a 400 naming `cursor`. */
export function cursorFollowId(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = decodeIdCursor(cursor);
  if (id === undefined) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid field(s): cursor', [{ field: 'cursor', message: 'is not a valid cursor' }]);
  }
  return id;
}
