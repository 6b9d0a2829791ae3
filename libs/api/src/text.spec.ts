import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CreateCommentDto, CreatePostDto } from './posts.dto.js';
import { codePointLength, hasVisibleText } from './text.js';
import { RegisterDto, UpdateProfileDto } from './users.dto.js';

describe('codePointLength', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('кошка')).toBe(5);
    expect(codePointLength('日本語')).toBe(3);
    expect(codePointLength('👍🏽')).toBe(2);
    expect('👍🏽'.length).toBe(4);
  });
});

// Each of these draws nothing on its own.
const INVISIBLE = {
  'zero-width space': '\u200B',
  'zero-width non-joiner': '\u200C',
  'zero-width joiner': '\u200D',
  'word joiner': '\u2060',
  'byte order mark': '\uFEFF',
  'soft hyphen': '\u00AD',
  'left-to-right mark': '\u200E',
  'right-to-left override': '\u202E',
  'Mongolian vowel separator': '\u180E',
  'tag character': '\u{E0041}',
  'combining acute accent': '\u0301',
  'combining enclosing circle': '\u20DD',
  'variation selector 16': '\uFE0F',
  'Hangul filler': '\u3164',
  'halfwidth Hangul filler': '\uFFA0',
  'blank Braille pattern': '\u2800',
  'no-break space': '\u00A0',
  'ideographic space': '\u3000',
  'line separator': '\u2028',
  'em space': '\u2003',
};

describe('hasVisibleText', () => {
  it.each(Object.entries(INVISIBLE))('finds nothing visible in a %s, alone or repeated', (_name, char) => {
    expect(hasVisibleText(char)).toBe(false);
    expect(hasVisibleText(char.repeat(5))).toBe(false);
  });

  it('finds nothing visible in a mix of invisible characters, or in nothing', () => {
    expect(hasVisibleText(Object.values(INVISIBLE).join(''))).toBe(false);
    expect(hasVisibleText(' \n\t ')).toBe(false);
    expect(hasVisibleText('')).toBe(false);
  });

  it.each([
    ['a Latin letter', 'a'],
    ['a letter with a combining mark', 'e\u0301'],
    ['a digit', '0'],
    ['punctuation', '.'],
    ['an emoji', '👍'],
    ['an emoji with skin tone and joiners', '👩🏽\u200D💻'],
    ['a keycap sequence', '1\uFE0F\u20E3'],
    ['a flag', '🇺🇦'],
    ['CJK', '日'],
    ['Cyrillic', 'ж'],
    ['Arabic', 'ب'],
    ['Devanagari', 'क'],
    ['a private-use character', '\uE000'],
  ])('finds %s visible, also among invisible characters', (_name, text) => {
    expect(hasVisibleText(text)).toBe(true);
    expect(hasVisibleText(`\u200B${text}\u200D\uFEFF`)).toBe(true);
  });
});

/** The fields a DTO refuses, after the same transform the validation pipe applies. */
async function refusedFields(dto: new () => object, body: object): Promise<string[]> {
  const errors = await validate(plainToInstance(dto, body), { whitelist: true, forbidNonWhitelisted: true });
  return errors.map((error) => error.property).sort();
}

describe('visible-text rule on the DTOs', () => {
  const invisible = ['\u200B', '\u200B\u200C\u200D\u2060', '\uFEFF\u200B', ' \u200B \u0301 ', '\u2800\u3164', '\u200E\n\u200F'];

  it.each(invisible.map((text) => [JSON.stringify(text), text]))('refuses the invisible text %s for posts, comments and display names', async (_name, text) => {
    expect(await refusedFields(CreatePostDto, { text })).toEqual(['text']);
    expect(await refusedFields(CreateCommentDto, { text })).toEqual(['text']);
    expect(await refusedFields(UpdateProfileDto, { displayName: text })).toEqual(['displayName']);
    expect(await refusedFields(RegisterDto, { username: 'ada_l', email: 'ada@example.com', password: 'correct horse battery', displayName: text })).toEqual(['displayName']);
  });

  it('names the rule in the message', async () => {
    const [error] = await validate(plainToInstance(CreatePostDto, { text: '\u200B' }));
    expect(Object.values(error.constraints ?? {})).toContain('must contain at least one visible character');
  });

  it('accepts visible text, with invisible characters inside it', async () => {
    for (const text of ['hi', 'caf\u0065\u0301', '👩🏽\u200D💻', '\u200Bx\u200B', 'ok\n\u200B']) {
      expect(await refusedFields(CreatePostDto, { text })).toEqual([]);
      expect(await refusedFields(CreateCommentDto, { text })).toEqual([]);
      expect(await refusedFields(UpdateProfileDto, { displayName: text.replace('\n', ' ') })).toEqual([]);
    }
  });

  it('leaves a bio free to be empty, and a display name free to be left out', async () => {
    expect(await refusedFields(UpdateProfileDto, { bio: '' })).toEqual([]);
    expect(await refusedFields(UpdateProfileDto, {})).toEqual([]);
    expect(await refusedFields(RegisterDto, { username: 'ada_l', email: 'ada@example.com', password: 'correct horse battery' })).toEqual([]);
  });
});
