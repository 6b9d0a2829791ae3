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
});
