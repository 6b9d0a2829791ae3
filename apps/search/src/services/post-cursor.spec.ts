import { encodeCursor, encodeIdCursor } from '@app/api';
import { encodeRankCursor, parsePostCursor } from './post-cursor.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');

describe('post search cursors', () => {
  it('keeps the newest-first order of an id cursor', () => {
    expect(parsePostCursor(encodeIdCursor('7401234567890123456'), NOW)).toEqual({ order: 'newest', beforeId: '7401234567890123456' });
  });

  it.each(['0.1', '0', '1', '0.0123456789012345', '1e-05', '2.5e-300', '12.75'])('round-trips a ranked cursor at a frozen time with score %s', (score) => {
    const frozen = new Date(NOW - 5_000);
    expect(parsePostCursor(encodeRankCursor(frozen, { score, id: '7401234567890123456' }), NOW)).toEqual({
      order: 'relevance',
      now: frozen,
      after: { score, id: '7401234567890123456' },
    });
  });

  it.each([
    ['a score that is not a number', { t: NOW, s: '1; DROP TABLE x', i: '7401234567890123456' }],
    ['a negative score', { t: NOW, s: '-1', i: '7401234567890123456' }],
    ['NaN', { t: NOW, s: 'NaN', i: '7401234567890123456' }],
    ['a time in the future', { t: NOW + 3_600_000, s: '0.1', i: '7401234567890123456' }],
    ['a time before the id epoch', { t: Date.UTC(2025, 0, 1), s: '0.1', i: '7401234567890123456' }],
    ['a bad id', { t: NOW, s: '0.1', i: '01' }],
    ['null', null],
  ])('rejects %s', (_what, value) => {
    expect(() => parsePostCursor(encodeCursor(value), NOW)).toThrow(/cursor/);
  });
});
