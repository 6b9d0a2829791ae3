import { encodeIdCursor } from '@app/api';
import { DomainError } from '@app/platform';
import { cursorFollowId } from './page-cursor.js';

describe('cursorFollowId', () => {
  it('is undefined for the first page and the edge id for a cursor of ours', () => {
    expect(cursorFollowId(undefined)).toBeUndefined();
    expect(cursorFollowId(encodeIdCursor('7401234567890123456'))).toBe('7401234567890123456');
  });

  it.each(['abc', Buffer.from('i:0').toString('base64url'), Buffer.from('{"n":"a","i":"1"}').toString('base64url')])('rejects %p as a 400 naming cursor', (cursor) => {
    let error: unknown;
    try {
      cursorFollowId(cursor);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', fieldErrors: [{ field: 'cursor', message: 'is not a valid cursor' }] });
  });
});
