import type { EntityManager } from 'typeorm';
import { UserCounters } from './user-counters.js';

/** A manager that records the statements it is given. */
function recordingManager() {
  const calls: { sql: string; parameters: unknown[] }[] = [];
  const manager = { query: (sql: string, parameters: unknown[]) => Promise.resolve(calls.push({ sql, parameters })) } as unknown as EntityManager;
  return { manager, calls };
}

describe('UserCounters', () => {
  const counters = new UserCounters({ table: 'users.user_stats', key: 'user_id' });

  it('moves both ends of a follow edge in one upsert on the given table and key, locked in id order', async () => {
    const { manager, calls } = recordingManager();
    await counters.addFollow(manager, '11', '22', -1);
    expect(calls).toHaveLength(1);
    expect(calls[0].parameters).toEqual(['11', '22', -1]);
    expect(calls[0].sql).toContain('INSERT INTO users.user_stats AS counters (user_id, followers_count, following_count)');
    expect(calls[0].sql).toContain('ORDER BY id');
    expect(calls[0].sql).toContain('ON CONFLICT (user_id) DO UPDATE');
  });

  it('adds a post delta to the author only', async () => {
    const { manager, calls } = recordingManager();
    await counters.addPosts(manager, '33', 1);
    expect(calls).toEqual([{ sql: expect.stringContaining('INSERT INTO users.user_stats AS counters (user_id, posts_count)'), parameters: ['33', 1] }]);
  });
});
