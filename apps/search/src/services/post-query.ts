import type { PostQuery } from '../repositories/post-index.repository.js';

const MAX_TERMS = 16;
// Letters, marks and digits of any script, plus underscore: the same alphabet as hashtags.
const TERM = /[\p{L}\p{M}\p{N}_]+/gu;

/**
 * Splits `q` into terms. `#tag` is an exact hashtag; everything else is a
 * word that must appear (punctuation separates words). Terms are
 * NFC-normalised and lower-cased, as posts stores hashtags, so a tag typed
 * with combining accents still matches. The query is data: terms go to
 * Postgres as parameters, never as SQL or tsquery syntax.
 */
export function parsePostQuery(q: string): PostQuery {
  const words: string[] = [];
  const hashtags: string[] = [];
  for (const token of q.normalize('NFC').split(/\s+/u)) {
    if (token.startsWith('#')) {
      const tag = token.slice(1).match(TERM)?.[0];
      if (tag) hashtags.push(tag.toLowerCase());
      continue;
    }
    for (const word of token.match(TERM) ?? []) words.push(word.toLowerCase());
  }
  return { words: [...new Set(words)].slice(0, MAX_TERMS), hashtags: [...new Set(hashtags)].slice(0, MAX_TERMS) };
}
