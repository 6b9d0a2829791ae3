import { parsePostQuery } from './post-query.js';

describe('parsePostQuery', () => {
  it('separates words from exact hashtags, lower-cased and deduplicated', () => {
    expect(parsePostQuery('Running #NestJS fast running #кошки')).toEqual({ words: ['running', 'fast'], hashtags: ['nestjs', 'кошки'] });
  });

  it('treats SQL and tsquery syntax as plain words', () => {
    expect(parsePostQuery(`'; DROP TABLE posts; -- a & b | !c <-> d:*`)).toEqual({ words: ['drop', 'table', 'posts', 'a', 'b', 'c', 'd'], hashtags: [] });
  });

  it('keeps any script and drops lone punctuation', () => {
    expect(parsePostQuery('日本語 — ✨ кошка!')).toEqual({ words: ['日本語', 'кошка'], hashtags: [] });
    expect(parsePostQuery('# ## !!!')).toEqual({ words: [], hashtags: [] });
  });

  it('NFC-normalises terms, as posts stores hashtags', () => {
    const decomposed = 'Cafe\u0301 #Cafe\u0301 #A\u030Angstro\u0308m';
    expect(decomposed).not.toBe(decomposed.normalize('NFC'));
    expect(parsePostQuery(decomposed)).toEqual({ words: ['caf\u00e9'], hashtags: ['caf\u00e9', '\u00e5ngstr\u00f6m'] });
  });

  it('keeps diacritics in terms: folding them is the job of the index', () => {
    expect(parsePostQuery('café #Café')).toEqual({ words: ['café'], hashtags: ['café'] });
  });
});
