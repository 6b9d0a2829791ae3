/** Ids of one source (the feed, or one celebrity's posts) below a bound, newest first (padded: see feed-members.ts). */
export interface IdChunk {
  ids: string[];
  /** True when the source has nothing further below these ids. */
  last: boolean;
}

/** One step of reading a page: what mergeChunks found. */
export interface MergedStep {
  /** Distinct ids, newest first. */
  ids: string[];
  /**
   * Every source has been read at least down to this id, so the merge is
   * complete at and above it; the next step continues below it.
   */
  completeDownTo: string | undefined;
  /** True when no source has anything below its chunk. */
  sourcesExhausted: boolean;
  /** True when the merge stopped at `limit` although more ids were there. */
  stoppedAtLimit: boolean;
}

/** The next `count` ids of a newest-first list that are below `below` (exclusive). */
export function takeBelow(list: string[], below: string | undefined, count: number): IdChunk {
  let start = 0;
  if (below !== undefined) {
    let high = list.length;
    while (start < high) {
      const middle = (start + high) >>> 1;
      if (list[middle] >= below) start = middle + 1;
      else high = middle;
    }
  }
  return { ids: list.slice(start, start + count), last: start + count >= list.length };
}

/**
 * One step of reading a page: merges chunks of several sources, newest first,
 * without duplicates. Below the oldest id of a source that has more, another
 * chunk of that source could hold newer ids than the others', so the step
 * stops at the highest such oldest id (`completeDownTo`); the next step
 * continues below it. This is what keeps pages free of gaps and duplicates.
 *
 * Each chunk is newest first, so this is a k-way merge that stops after
 * `limit` ids (`stoppedAtLimit` then says more were there): a reader
 * following many celebrities merges far more ids than one page shows.
 */
export function mergeChunks(chunks: IdChunk[], limit = Number.POSITIVE_INFINITY): MergedStep {
  let completeDownTo: string | undefined;
  for (const chunk of chunks) {
    const oldest = chunk.ids.at(-1);
    if (!chunk.last && oldest !== undefined && (completeDownTo === undefined || oldest > completeDownTo)) completeDownTo = oldest;
  }
  // Per chunk, the index of its newest id not merged yet.
  const nextIndex = new Array<number>(chunks.length).fill(0);
  const ids: string[] = [];
  let stoppedAtLimit = false;
  for (;;) {
    const lastTaken = ids.at(-1);
    let newest: string | undefined;
    let newestChunk = -1;
    for (let index = 0; index < chunks.length; index++) {
      const list = chunks[index].ids;
      // The same post can come from two sources: skip what was just taken.
      while (nextIndex[index] < list.length && list[nextIndex[index]] === lastTaken) nextIndex[index]++;
      const candidate = list.at(nextIndex[index]);
      if (candidate !== undefined && (completeDownTo === undefined || candidate >= completeDownTo) && (newest === undefined || candidate > newest)) {
        newest = candidate;
        newestChunk = index;
      }
    }
    if (newest === undefined) break;
    if (ids.length >= limit) {
      stoppedAtLimit = true;
      break;
    }
    ids.push(newest);
    nextIndex[newestChunk]++;
  }
  return { ids, completeDownTo: completeDownTo ?? ids.at(-1), sourcesExhausted: chunks.every((chunk) => chunk.last), stoppedAtLimit };
}
