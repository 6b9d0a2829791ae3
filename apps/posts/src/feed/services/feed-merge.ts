/**
 * Feed members are post ids zero-padded to 20 digits. Snowflake ids exceed
 * 2^53, so a sorted-set score (a double) cannot hold them exactly; instead
 * every member gets score 0 and Redis orders them lexicographically, which for
 * equal-length digit strings is numeric order (ZREVRANGEBYLEX = newest first).
 */
export const ID_WIDTH = 20;

/** Lowest possible member: marks a complete feed, so an empty feed is not rebuilt on every read. */
export const FEED_SENTINEL = '0'.repeat(ID_WIDTH);

/** Sorts above every id: marks a feed that a reader is rebuilding from Postgres right now. */
export const BUILDING_PREFIX = '~';

export function padId(id: string): string {
  return id.padStart(ID_WIDTH, '0');
}

export function unpadId(member: string): string {
  return member.replace(/^0+/, '');
}

/**
 * Splits a comma-separated list of ids (as the caches store them). `split`
 * would return slices of the whole list, which V8 compares and hashes
 * several times slower than plain strings; a feed page compares hundreds of
 * ids. Ids are digits, so the list is also a valid JSON array body.
 */
export function splitIdList(value: string): string[] {
  return value === '' ? [] : (JSON.parse(`["${value.replaceAll(',', '","')}"]`) as string[]);
}

/** True for a member that stands for a post (not the sentinel or a building marker). */
export function isPostMember(member: string): boolean {
  return member.length === ID_WIDTH && member !== FEED_SENTINEL && !member.startsWith(BUILDING_PREFIX);
}

/** Ids of one source (the feed, or one celebrity's posts) below a bound, newest first. */
export interface IdChunk {
  ids: string[];
  /** True when the source has nothing further below these ids. */
  last: boolean;
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
 * chunk of that source could hold newer ids than the others' so that step
 * stops at the highest such "floor"; the next step continues below it. This
 * is what keeps pages free of gaps and duplicates.
 *
 * Each chunk is newest first, so this is a k-way merge that stops after
 * `limit` ids (`cut` then says more were there): a reader following many
 * celebrities merges far more ids than one page shows.
 */
export function mergeChunks(chunks: IdChunk[], limit = Number.POSITIVE_INFINITY): { ids: string[]; floor: string | undefined; done: boolean; cut: boolean } {
  let floor: string | undefined;
  for (const chunk of chunks) {
    const oldest = chunk.ids.at(-1);
    if (!chunk.last && oldest !== undefined && (floor === undefined || oldest > floor)) floor = oldest;
  }
  const heads = new Array<number>(chunks.length).fill(0);
  const ids: string[] = [];
  let cut = false;
  for (;;) {
    const previous = ids.at(-1);
    let newest: string | undefined;
    let source = -1;
    for (let index = 0; index < chunks.length; index++) {
      const list = chunks[index].ids;
      // The same post can come from two sources: skip what was just taken.
      while (heads[index] < list.length && list[heads[index]] === previous) heads[index]++;
      const head = list.at(heads[index]);
      if (head !== undefined && (floor === undefined || head >= floor) && (newest === undefined || head > newest)) {
        newest = head;
        source = index;
      }
    }
    if (newest === undefined) break;
    if (ids.length >= limit) {
      cut = true;
      break;
    }
    ids.push(newest);
    heads[source]++;
  }
  return { ids, floor: floor ?? ids.at(-1), done: chunks.every((chunk) => chunk.last), cut };
}
