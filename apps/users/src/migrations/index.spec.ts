import { usersMigrations } from './index.js';

// TypeORM records each applied migration by name in users.migrations: a renamed one would run again.
describe('users migrations', () => {
  it('keep the names an already-migrated database has recorded, in order', () => {
    expect(usersMigrations.map((Migration) => new Migration().name)).toEqual([
      'CreateUsers1764300000000',
      'CreateRefreshTokens1764300000001',
      'CreateUserStats1764400000000',
      'CreateUsersWorkerLeases1764500000000',
      'AddUsersOutboxTraceContext1764600000000',
    ]);
  });
});
