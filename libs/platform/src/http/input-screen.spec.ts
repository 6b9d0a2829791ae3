import { exceedsJsonDepth, findUnsafeParameter, findUnsafeText, isUnsafeText, MAX_JSON_DEPTH } from './input-screen.js';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('exceedsJsonDepth', () => {
  it('allows the limit and refuses one more', () => {
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  it('counts objects and arrays alike', () => {
    expect(exceedsJsonDepth('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(exceedsJsonDepth('{"a":[{"b":[1]}]}', 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonDepth(`{"a":"${'['.repeat(100)}"}`, 2)).toBe(false);
    expect(exceedsJsonDepth(`{"a":"\\"${'{'.repeat(100)}"}`, 2)).toBe(false);
    expect(exceedsJsonDepth(`["\\\\",${nested(5)}]`, 3)).toBe(true);
  });

  it('measures depth, not the number of siblings', () => {
    expect(exceedsJsonDepth(`[${Array.from({ length: 1000 }, () => '[1]').join(',')}]`, 2)).toBe(false);
  });

  it('handles thousands of levels without recursion', () => {
    expect(exceedsJsonDepth(nested(100_000))).toBe(true);
  });
});

describe('isUnsafeText', () => {
  it.each([
    ['NUL', 'a\u0000b', true],
    ['a lone high surrogate', '\ud800@example.com', true],
    ['a lone low surrogate', 'x\udc00', true],
    ['a surrogate pair (emoji)', 'hi 😀', false],
    ['plain accents', 'Ångström café', false],
    ['an empty string', '', false],
  ])('%s', (_name, text, unsafe) => {
    expect(isUnsafeText(text)).toBe(unsafe);
  });
});

describe('findUnsafeText', () => {
  it('names the first bad value by its path', () => {
    expect(findUnsafeText({ login: 'a', password: 'b\u0000' })).toBe('password');
    expect(findUnsafeText({ a: { b: ['ok', '\ud800'] } })).toBe('a.b[1]');
    expect(findUnsafeText(['\u0000'])).toBe('[0]');
    expect(findUnsafeText('\u0000')).toBe('(body)');
  });

  it('names a bad key without its bad characters', () => {
    expect(findUnsafeText({ ['x\u0000y']: 1 })).toBe('x\ufffdy');
  });

  it('passes clean values, numbers, booleans and null', () => {
    expect(findUnsafeText({ a: 1, b: null, c: true, d: ['😀', { e: 'é' }] })).toBeUndefined();
    expect(findUnsafeText(null)).toBeUndefined();
    expect(findUnsafeText(undefined)).toBeUndefined();
  });
});

describe('findUnsafeParameter', () => {
  it('checks names, values and repeated values', () => {
    expect(findUnsafeParameter({ username: 'abc\u0000' })).toBe('username');
    expect(findUnsafeParameter({ q: ['ok', '\ud800'] })).toBe('q');
    expect(findUnsafeParameter({ ['q\u0000']: 'x' })).toBe('q\ufffd');
  });

  it('passes clean parameters and nothing', () => {
    expect(findUnsafeParameter({ q: 'café', limit: '20' })).toBeUndefined();
    expect(findUnsafeParameter(undefined)).toBeUndefined();
  });
});
