import { describe, expect, it } from '@jest/globals';
import { ReplyError } from 'ioredis';
import { RedisTimeout } from '../redis/redis-client.js';
import { isDependencyOutage } from './dependency-outage.js';

/** ioredis types its ReplyError loosely; it is an Error built from the reply's text. */
const reply = (message: string): Error => new (ReplyError as new (text: string) => Error)(message);
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDependencyOutage', () => {
  it.each([
    ['a MOVED reply to a dead master', reply('MOVED 7174 127.0.0.1:7002')],
    ['a cluster without a master for a slot', reply('CLUSTERDOWN The cluster is down')],
    ['a node still loading', reply('LOADING Redis is loading the dataset in memory')],
    ['a closed Redis connection', new Error('Connection is closed.')],
    ['too many redirections', new Error('Too many Cluster redirections. Last error: Error: Connection is closed.')],
    ['a request-path deadline', new RedisTimeout('feed', 300)],
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['Postgres shutting down', withCode('terminating connection due to administrator command', '57P01')],
    ['Postgres starting up', withCode('the database system is starting up', '57P03')],
    ['a dropped Postgres connection', new Error('Connection terminated unexpectedly')],
  ])('is true for %s', (_, error) => {
    expect(isDependencyOutage(error)).toBe(true);
  });

  it.each([
    ['a Lua script error', reply('ERR Error running script: attempt to compare nil with number')],
    ['a wrong type', reply('WRONGTYPE Operation against a key holding the wrong kind of value')],
    ['a constraint violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['something not an Error', 'MOVED 1 127.0.0.1:7002'],
  ])('is false for %s', (_, error) => {
    expect(isDependencyOutage(error)).toBe(false);
  });
});
