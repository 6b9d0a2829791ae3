/**
 * Hashtags and mentions of a post's text, as the Post object's `hashtags` and
 * `mentions` carry them (the rules are here, in full).
 *
 * - A hashtag is `#` followed by letters, combining marks, digits or
 *   underscores of any script (`#кошки`, `#日本`, `#café`), with at least one
 *   letter, as Twitter and Mastodon require (`#1` is "number one", not a tag).
 *   It is returned NFC-normalised and lower-cased, without `#`.
 * - A mention is `@` followed by a username (3..30 of `[A-Za-z0-9_]`), returned
 *   as written, without `@`. A longer run is not a mention.
 * - Neither may follow a word character (`a#b`, `mail@example.com`) and each
 *   list is deduplicated (case-insensitively) in order of first appearance.
 */
const HASHTAG = /(?<![\p{L}\p{M}\p{N}_&#/])#([\p{L}\p{M}\p{N}_]+)/gu;
const HAS_LETTER = /\p{L}/u;
const MENTION = /(?<![\p{L}\p{M}\p{N}_@.])@([A-Za-z0-9_]+)(?![@\p{L}\p{M}\p{N}])/gu;
const USERNAME = /^[A-Za-z0-9_]{3,30}$/;

export interface TextEntities {
  hashtags: string[];
  mentions: string[];
}

export function extractHashtags(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(HASHTAG)) {
    const tag = match[1].normalize('NFC').toLowerCase();
    if (HAS_LETTER.test(tag)) seen.add(tag);
  }
  return [...seen];
}

export function extractMentions(text: string): string[] {
  const seen = new Map<string, string>();
  for (const match of text.matchAll(MENTION)) {
    const username = match[1];
    const key = username.toLowerCase();
    if (USERNAME.test(username) && !seen.has(key)) seen.set(key, username);
  }
  return [...seen.values()];
}

export function extractEntities(text: string): TextEntities {
  return { hashtags: extractHashtags(text), mentions: extractMentions(text) };
}
