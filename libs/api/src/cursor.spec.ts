import { DomainError } from '@app/platform';
import { decodeCursor, decodeIdCursor, encodeCursor, encodeIdCursor, idFromCursor, pageOf } from './cursor.js';

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
  it('pages on another id when told (a follow edge rather than the user)', () => {
    const rows = [{ id: '30', edge: '300' }, { id: '20', edge: '200' }, { id: '10', edge: '100' }];
    expect(pageOf(rows, 2, (r) => r.id, (r) => r.edge).nextCursor).toBe(encodeIdCursor('200'));
  });
});

describe('idFromCursor', () => {
  it('is undefined for the first page and the id for a cursor of ours', () => {
    expect(idFromCursor(undefined)).toBeUndefined();
    expect(idFromCursor(encodeIdCursor('7401234567890123456'))).toBe('7401234567890123456');
  });

  it.each(['abc', Buffer.from('i:0').toString('base64url'), Buffer.from('{"n":"a","i":"1"}').toString('base64url')])('rejects %p as a 400 naming cursor', (cursor) => {
    let error: unknown;
    try {
      idFromCursor(cursor);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', fieldErrors: [{ field: 'cursor', message: 'is not a valid cursor' }] });
  });
});

describe('JSON cursors', () => {
  it('round-trips a small value and reads anything else as undefined', () => {
    expect(decodeCursor(encodeCursor({ e: 1, i: '7' }))).toEqual({ e: 1, i: '7' });
    expect(decodeCursor('not-json')).toBeUndefined();
  });
});
