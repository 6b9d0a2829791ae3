import { FEED_SENTINEL, isPostMember, padId, splitIdList, unpadId } from './feed-members.js';

const BIG = '7401234567890123456'; // > 2^53: a double would round it

describe('padId / unpadId', () => {
  it('pads to 20 digits and back', () => {
    expect(padId(BIG)).toBe('07401234567890123456');
    expect(unpadId(padId(BIG))).toBe(BIG);
    expect(padId('9223372036854775807')).toHaveLength(20);
  });

  it('keeps numeric order as string order for ids that differ beyond double precision', () => {
    const a = BigInt(BIG);
    const ids = [a + 1n, a, a + 2n, 99n].map(String);
    expect(Number(ids[0]) === Number(ids[1])).toBe(true); // why scores cannot be used
    expect(ids.map(padId).sort().map(unpadId)).toEqual([99n, a, a + 1n, a + 2n].map(String));
  });
});

describe('isPostMember', () => {
  it('accepts padded ids only', () => {
    expect(isPostMember(padId(BIG))).toBe(true);
    expect(isPostMember(FEED_SENTINEL)).toBe(false);
    expect(isPostMember('~building-token')).toBe(false);
  });
});

describe('splitIdList', () => {
  it('splits a stored list, and an empty one into no ids', () => {
    expect(splitIdList(`${padId('12')},${padId(BIG)}`)).toEqual([padId('12'), padId(BIG)]);
    expect(splitIdList('42')).toEqual(['42']);
    expect(splitIdList('')).toEqual([]);
  });
});
