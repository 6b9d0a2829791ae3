import { isSnowflakeId, SNOWFLAKE_EPOCH_MS, SnowflakeGenerator, snowflakeTime } from './snowflake.js';

describe('SnowflakeGenerator', () => {
  it('makes strictly increasing ids, even past 4096 in one millisecond', () => {
    const generator = new SnowflakeGenerator(7, () => SNOWFLAKE_EPOCH_MS + 1000);
    let previous = 0n;
    for (let i = 0; i < 10_000; i++) {
      const id = generator.nextBigInt();
      expect(id > previous).toBe(true);
      previous = id;
    }
  });

  it('stays ordered when the clock steps back', () => {
    let now = SNOWFLAKE_EPOCH_MS + 5000;
    const generator = new SnowflakeGenerator(1, () => now);
    const first = generator.nextBigInt();
    now -= 2000;
    expect(generator.nextBigInt() > first).toBe(true);
  });

  it('encodes the time and the worker id', () => {
    const at = SNOWFLAKE_EPOCH_MS + 123_456;
    const id = new SnowflakeGenerator(513, () => at).next();
    expect(snowflakeTime(id).getTime()).toBe(at);
    expect((BigInt(id) >> 12n) & 1023n).toBe(513n);
  });

  it('refuses a worker id that does not fit 10 bits', () => {
    expect(() => new SnowflakeGenerator(1024)).toThrow(RangeError);
    expect(() => new SnowflakeGenerator(-1)).toThrow(RangeError);
  });
});

describe('isSnowflakeId', () => {
  it.each(['1', '7401234567890123456', '9223372036854775807'])('accepts %s', (value) => {
    expect(isSnowflakeId(value)).toBe(true);
  });
  it.each(['0', '-1', '01', '9223372036854775808', '1e5', ' 1', 'abc', '', 12])('rejects %p', (value) => {
    expect(isSnowflakeId(value)).toBe(false);
  });
});
