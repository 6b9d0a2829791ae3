import { FEED_SENTINEL, isPostMember, mergeChunks, padId, splitIdList, takeBelow, unpadId } from './feed-ids.js';

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

describe('takeBelow', () => {
  const list = [50, 40, 30, 20, 10].map((n) => padId(String(n)));

  it('takes the next ids below a bound', () => {
    expect(takeBelow(list, padId('40'), 2)).toEqual({ ids: [padId('30'), padId('20')], last: false });
    expect(takeBelow(list, padId('35'), 3)).toEqual({ ids: [padId('30'), padId('20'), padId('10')], last: true });
  });

  it('starts at the top without a bound and ends empty below the last', () => {
    expect(takeBelow(list, undefined, 1)).toEqual({ ids: [padId('50')], last: false });
    expect(takeBelow(list, padId('10'), 5)).toEqual({ ids: [], last: true });
  });
});

describe('splitIdList', () => {
  it('splits a stored list, and an empty one into no ids', () => {
    expect(splitIdList(`${padId('12')},${padId(BIG)}`)).toEqual([padId('12'), padId(BIG)]);
    expect(splitIdList('42')).toEqual(['42']);
    expect(splitIdList('')).toEqual([]);
  });
});

describe('mergeChunks', () => {
  const p = (...ns: number[]) => ns.map((n) => padId(String(n)));

  it('merges finished sources completely, newest first', () => {
    const result = mergeChunks([{ ids: p(90, 50), last: true }, { ids: p(95, 70, 10), last: true }]);
    expect(result).toEqual({ ids: p(95, 90, 70, 50, 10), floor: padId('10'), done: true, cut: false });
  });

  it('stops at the oldest id of a source that has more', () => {
    const result = mergeChunks([{ ids: p(90, 50), last: false }, { ids: p(70, 40), last: true }]);
    expect(result.ids).toEqual(p(90, 70, 50));
    expect(result.floor).toBe(padId('50'));
    expect(result.done).toBe(false);
  });

  it('uses the highest floor when several sources have more', () => {
    const result = mergeChunks([{ ids: p(90, 20), last: false }, { ids: p(80, 60), last: false }]);
    expect(result.ids).toEqual(p(90, 80, 60));
    expect(result.floor).toBe(padId('60'));
  });

  it('drops duplicates across sources', () => {
    expect(mergeChunks([{ ids: p(9, 5), last: true }, { ids: p(9, 5), last: true }]).ids).toEqual(p(9, 5));
  });

  it('stops after the limit and says that more were there', () => {
    const result = mergeChunks([{ ids: p(90, 50, 30), last: true }, { ids: p(95, 50, 40), last: true }], 3);
    expect(result.ids).toEqual(p(95, 90, 50));
    expect(result.cut).toBe(true);
    expect(mergeChunks([{ ids: p(90, 50), last: true }, { ids: p(95, 50), last: true }], 3)).toMatchObject({ ids: p(95, 90, 50), cut: false });
  });

  it('counts an id that two sources hold once against the limit', () => {
    const result = mergeChunks([{ ids: p(9, 8, 7), last: true }, { ids: p(9, 8, 7), last: true }, { ids: p(8, 6), last: true }], 4);
    expect(result).toMatchObject({ ids: p(9, 8, 7, 6), cut: false });
  });

  it('gives the newest distinct ids above the floor, as sorting everything would', () => {
    // Deterministic pseudo-random sources (a fixed-seed LCG), compared with a naive merge.
    let seed = 42;
    const random = (below: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % below;
    for (let round = 0; round < 200; round++) {
      const chunks = Array.from({ length: 1 + random(5) }, () => ({
        ids: [...new Set(Array.from({ length: random(8) }, () => padId(String(1 + random(40)))))].sort().reverse(),
        last: random(2) === 0,
      }));
      const limit = 1 + random(10);
      const floor = chunks.filter((c) => !c.last && c.ids.length > 0).map((c) => c.ids[c.ids.length - 1]).sort().at(-1);
      const all = [...new Set(chunks.flatMap((c) => c.ids))].filter((id) => floor === undefined || id >= floor).sort().reverse();
      const result = mergeChunks(chunks, limit);
      expect(result.ids).toEqual(all.slice(0, limit));
      expect(result.cut).toBe(all.length > limit);
    }
  });

  it('pages through sources without gaps or duplicates', () => {
    const feed = p(100, 90, 80, 70, 60, 50, 40, 30, 20, 10);
    const celebrity = p(95, 85, 55, 15, 5);
    const seen: string[] = [];
    let below: string | undefined;
    for (let step = 0; step < 20; step++) {
      const { ids, floor, done } = mergeChunks([takeBelow(feed, below, 3), takeBelow(celebrity, below, 3)]);
      seen.push(...ids);
      if (done) break;
      below = floor;
    }
    expect(seen).toEqual([...feed, ...celebrity].sort().reverse());
  });
});
