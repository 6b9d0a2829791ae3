import type { Redis } from 'ioredis';

/** A Lua script and how many of its arguments are keys. */
export interface LuaScript {
  keys: number;
  lua: string;
}

type ScriptCall = (...args: (string | number)[]) => Promise<unknown>;

/** A client (or pipeline) with the named scripts as commands. */
export type Scripted<T, Name extends string> = T & Record<Name, ScriptCall>;

/** Registers scripts as ioredis commands (sent by SHA, loaded once per connection). */
export function withScripts<Name extends string>(redis: Redis, scripts: Record<Name, LuaScript>): Scripted<Redis, Name> {
  for (const [name, script] of Object.entries<LuaScript>(scripts)) redis.defineCommand(name, { numberOfKeys: script.keys, lua: script.lua });
  return redis as Scripted<Redis, Name>;
}
