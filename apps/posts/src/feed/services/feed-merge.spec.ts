import { padId } from '../repositories/feed-members.js';
import { mergeChunks, takeBelow } from './feed-merge.js';

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

describe('mergeChunks', () => {
  const p = (...ns: number[]) => ns.map((n) => padId(String(n)));

  it('merges finished sources completely, newest first', () => {
    const result = mergeChunks([{ ids: p(90, 50), last: true }, { ids: p(95, 70, 10), last: true }]);
    expect(result).toEqual({ ids: p(95, 90, 70, 50, 10), completeDownTo: padId('10'), sourcesExhausted: true, stoppedAtLimit: false });
  });

  it('stops at the oldest id of a source that has more', () => {
    const result = mergeChunks([{ ids: p(90, 50), last: false }, { ids: p(70, 40), last: true }]);
    expect(result.ids).toEqual(p(90, 70, 50));
    expect(result.completeDownTo).toBe(padId('50'));
    expect(result.sourcesExhausted).toBe(false);
  });

  it('stops at the highest oldest id when several sources have more', () => {
    const result = mergeChunks([{ ids: p(90, 20), last: false }, { ids: p(80, 60), last: false }]);
    expect(result.ids).toEqual(p(90, 80, 60));
    expect(result.completeDownTo).toBe(padId('60'));
  });

  it('drops duplicates across sources', () => {
    expect(mergeChunks([{ ids: p(9, 5), last: true }, { ids: p(9, 5), last: true }]).ids).toEqual(p(9, 5));
  });

  it('stops after the limit and says that more were there', () => {
    const result = mergeChunks([{ ids: p(90, 50, 30), last: true }, { ids: p(95, 50, 40), last: true }], 3);
    expect(result.ids).toEqual(p(95, 90, 50));
    expect(result.stoppedAtLimit).toBe(true);
    expect(mergeChunks([{ ids: p(90, 50), last: true }, { ids: p(95, 50), last: true }], 3)).toMatchObject({ ids: p(95, 90, 50), stoppedAtLimit: false });
  });

  it('counts an id that two sources hold once against the limit', () => {
    const result = mergeChunks([{ ids: p(9, 8, 7), last: true }, { ids: p(9, 8, 7), last: true }, { ids: p(8, 6), last: true }], 4);
    expect(result).toMatchObject({ ids: p(9, 8, 7, 6), stoppedAtLimit: false });
  });

  it('gives the newest distinct ids down to completeDownTo, as sorting everything would', () => {
    // Deterministic pseudo-random sources (a fixed-seed LCG), compared with a naive merge.
    let seed = 42;
    const random = (below: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % below;
    for (let round = 0; round < 200; round++) {
      const chunks = Array.from({ length: 1 + random(5) }, () => ({
        ids: [...new Set(Array.from({ length: random(8) }, () => padId(String(1 + random(40)))))].sort().reverse(),
        last: random(2) === 0,
      }));
      const limit = 1 + random(10);
      const completeDownTo = chunks.filter((c) => !c.last && c.ids.length > 0).map((c) => c.ids[c.ids.length - 1]).sort().at(-1);
      const all = [...new Set(chunks.flatMap((c) => c.ids))].filter((id) => completeDownTo === undefined || id >= completeDownTo).sort().reverse();
      const result = mergeChunks(chunks, limit);
      expect(result.ids).toEqual(all.slice(0, limit));
      expect(result.stoppedAtLimit).toBe(all.length > limit);
    }
  });

  it('pages through sources without gaps or duplicates', () => {
    const feed = p(100, 90, 80, 70, 60, 50, 40, 30, 20, 10);
    const celebrity = p(95, 85, 55, 15, 5);
    const seen: string[] = [];
    let below: string | undefined;
    for (let step = 0; step < 20; step++) {
      const { ids, completeDownTo, sourcesExhausted } = mergeChunks([takeBelow(feed, below, 3), takeBelow(celebrity, below, 3)]);
      seen.push(...ids);
      if (sourcesExhausted) break;
      below = completeDownTo;
    }
    expect(seen).toEqual([...feed, ...celebrity].sort().reverse());
  });
});
