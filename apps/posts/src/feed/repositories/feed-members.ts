/**
 * How ids are stored in Redis by the feed. Feed members are post ids
 * zero-padded to 20 digits. Snowflake ids exceed 2^53, so a sorted-set score
 * (a double) cannot hold them exactly; instead every member gets score 0 and
 * Redis orders them lexicographically, which for equal-length digit strings
 * is numeric order (ZREVRANGEBYLEX = newest first).
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
