import { decodeIdCursor } from '@app/api';
import { DomainError } from '@app/platform';

/** The id inside a page cursor; a cursor that is not one of ours is a 400 naming the field. */
export function cursorId(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = decodeIdCursor(cursor);
  if (id === undefined) throw new DomainError('VALIDATION_FAILED', 'Invalid field(s): cursor', [{ field: 'cursor', message: 'is not a valid cursor' }]);
  return id;
}
