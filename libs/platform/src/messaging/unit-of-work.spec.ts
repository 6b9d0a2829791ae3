import type { DataSource, EntityManager } from 'typeorm';
import type { RecentWrites } from '../database/recent-writes.js';
import { runWithContext } from '../logging/request-context.js';
import type { OutboxRelay } from './outbox-relay.js';
import { UnitOfWork } from './unit-of-work.js';

/** A unit of work over a fake transaction, remembering whom it marked as a recent writer and what it inserted. */
function unitOfWork() {
  const marked: (string | undefined)[] = [];
  const inserted: unknown[][] = [];
  const manager = { query: (_sql: string, parameters: unknown[]) => Promise.resolve(inserted.push(parameters)) } as unknown as EntityManager;
  const dataSource = { transaction: <T>(work: (manager: EntityManager) => Promise<T>) => work(manager) } as unknown as DataSource;
  const recentWrites = { mark: (userId: string | undefined) => Promise.resolve(void marked.push(userId)) } as unknown as RecentWrites;
  const relay = { wake: () => undefined } as unknown as OutboxRelay;
  return { marked, inserted, work: new UnitOfWork(dataSource, 'search', 'search', relay, recentWrites) };
}

const publishLike = (tx: Parameters<Parameters<UnitOfWork['run']>[0]>[0]) => tx.publish({ type: 'post.liked', key: '10', data: { postId: '10', userId: '7', at: '2026-12-04T12:00:00.000Z' } });

describe('UnitOfWork', () => {
  it('marks the caller as a recent writer before and after the commit (read-your-own-writes)', async () => {
    const { marked, inserted, work } = unitOfWork();
    await runWithContext({ requestId: 'r1', callerId: '7' }, () => work.run(publishLike));
    expect(marked).toEqual(['7', '7']);
    expect(inserted).toHaveLength(1);
  });

  it('does not mark the caller for bookkeeping they never read back (changesCallerReads: false)', async () => {
    const { marked, inserted, work } = unitOfWork();
    await runWithContext({ requestId: 'r1', callerId: '7' }, () => work.run(publishLike, undefined, { changesCallerReads: false }));
    expect(marked).toEqual([undefined, undefined]);
    // The event still goes to the outbox, with the request's correlation id.
    expect(inserted).toHaveLength(1);
    expect(inserted[0][5]).toBe('r1');
  });
});
