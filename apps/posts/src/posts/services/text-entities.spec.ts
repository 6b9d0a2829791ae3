import { extractEntities, extractHashtags, extractMentions } from './text-entities.js';

describe('extractHashtags', () => {
  it('lower-cases tags and drops the #', () => {
    expect(extractHashtags('Hello #World and #NestJS')).toEqual(['world', 'nestjs']);
  });

  it('understands tags in any script', () => {
    expect(extractHashtags('#кошки и #Коты, #日本 #東京2026 #café #ελλάδα #हिन्दी')).toEqual(['кошки', 'коты', '日本', '東京2026', 'café', 'ελλάδα', 'हिन्दी']);
  });

  it('keeps underscores and digits but needs a letter', () => {
    expect(extractHashtags('#snake_case #v2 #1 #2026 #_')).toEqual(['snake_case', 'v2']);
  });

  it('dedupes case-insensitively in order of first appearance', () => {
    expect(extractHashtags('#b #A #a #B #c')).toEqual(['b', 'a', 'c']);
  });

  it('stops at punctuation and white space', () => {
    expect(extractHashtags('(#one), #two! #three.\n#four?')).toEqual(['one', 'two', 'three', 'four']);
  });

  it('ignores # inside words, URLs and entities', () => {
    expect(extractHashtags('a#b C#sharp http://x.test/#anchor &#123; ##double')).toEqual([]);
  });

  it('treats composed and decomposed forms as one tag', () => {
    expect(extractHashtags('#cafe\u0301 #café')).toEqual(['café']);
  });

  it('finds nothing in plain text', () => {
    expect(extractHashtags('no tags here # at all')).toEqual([]);
  });
});

describe('extractMentions', () => {
  it('returns usernames without @, as written', () => {
    expect(extractMentions('hi @Ada_L and @grace!')).toEqual(['Ada_L', 'grace']);
  });

  it('dedupes case-insensitively, keeping the first spelling', () => {
    expect(extractMentions('@ada @ADA @Ada')).toEqual(['ada']);
  });

  it('ignores email addresses and names outside 3..30 characters', () => {
    expect(extractMentions('mail ada@example.com @ab @' + 'x'.repeat(31) + ' @abc')).toEqual(['abc']);
  });

  it('does not take part of a non-ASCII name', () => {
    expect(extractMentions('@андрей @abcд @ok_name')).toEqual(['ok_name']);
  });
});

describe('extractEntities', () => {
  it('extracts both from mixed text', () => {
    expect(extractEntities('@linus ships #Linux 🐧 with @grace #linux')).toEqual({ hashtags: ['linux'], mentions: ['linus', 'grace'] });
  });
});
