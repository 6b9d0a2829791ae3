import { decodeIdCursor, encodeIdCursor, pageOf } from './cursor.js';

describe('id cursors', () => {
  it('round-trips an id', () => {
    expect(decodeIdCursor(encodeIdCursor('7401234567890123456'))).toBe('7401234567890123456');
  });
  it.each(['', 'abc', Buffer.from('i:-1').toString('base64url'), Buffer.from('i:99999999999999999999').toString('base64url'), Buffer.from('x:12').toString('base64url')])(
    'rejects %p',
    (cursor) => expect(decodeIdCursor(cursor)).toBeUndefined(),
  );
  it('pages limit+1 rows into items and a cursor', () => {
    const rows = [{ id: '30' }, { id: '20' }, { id: '10' }];
    expect(pageOf(rows, 2, (r) => r.id)).toEqual({ items: ['30', '20'], nextCursor: encodeIdCursor('20') });
    expect(pageOf(rows.slice(0, 2), 2, (r) => r.id).nextCursor).toBeNull();
  });
});
