import { codePointLength } from './text.js';

describe('codePointLength', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('кошка')).toBe(5);
    expect(codePointLength('日本語')).toBe(3);
    expect(codePointLength('👍🏽')).toBe(2);
    expect('👍🏽'.length).toBe(4);
  });
});
