import { graphMigrations } from './index.js';

// TypeORM records each applied migration by name in graph.migrations: a renamed one would run again.
describe('graph migrations', () => {
  it('keep the names an already-migrated database has recorded, in order', () => {
    expect(graphMigrations.map((Migration) => new Migration().name)).toEqual([
      'CreateGraphBase1764300000000',
      'CreateFollows1764400000000',
      'CreateProfiles1764400000001',
      'CreateGraphWorkerLeases1764500000000',
      'AddGraphOutboxTraceContext1764600000000',
    ]);
  });
});
