import type { RedisClient } from '@app/platform';

/** A Lua script and how many of its arguments are keys. */
export interface LuaScript {
  keys: number;
  lua: string;
}

type ScriptCall = (...args: (string | number)[]) => Promise<unknown>;

/**
 * A client (or pipeline) with the named scripts as commands. Every key one
 * script touches shares a hash tag, so that a Redis Cluster runs it on one node.
 */
export type Scripted<T, Name extends string> = T & Record<Name, ScriptCall>;

/** Registers scripts as ioredis commands (sent by SHA, loaded once per connection). */
export function withScripts<Name extends string>(redis: RedisClient, scripts: Record<Name, LuaScript>): Scripted<RedisClient, Name> {
  for (const [name, script] of Object.entries<LuaScript>(scripts)) redis.defineCommand(name, { numberOfKeys: script.keys, lua: script.lua });
  return redis as Scripted<RedisClient, Name>;
}
