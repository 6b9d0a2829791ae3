import { describe, expect, it } from '@jest/globals';
import { RedisTimeout, withinRedisDeadline } from './redis-client.js';

describe('withinRedisDeadline', () => {
  it('passes on what an answering read returns', async () => {
    await expect(withinRedisDeadline(Promise.resolve('value'), 50, 'feed')).resolves.toBe('value');
  });

  it('passes on a read that fails before the deadline', async () => {
    await expect(withinRedisDeadline(Promise.reject(new Error('MOVED 42')), 50, 'feed')).rejects.toThrow('MOVED 42');
  });

  it('gives up on a read that has not answered by the deadline', async () => {
    const started = Date.now();
    const never = new Promise<string>(() => undefined);
    await expect(withinRedisDeadline(never, 30, 'feed')).rejects.toBeInstanceOf(RedisTimeout);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('leaves no unhandled rejection when the read fails after the deadline', async () => {
    let fail: (error: Error) => void = () => undefined;
    const late = new Promise<string>((_, reject) => (fail = reject));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(withinRedisDeadline(late, 10, 'feed')).rejects.toBeInstanceOf(RedisTimeout);
      fail(new Error('Connection is closed.'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
