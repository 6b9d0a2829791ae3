/**
 * The 1511baf versions (before the restructuring of issue #13 and the edge
 * hardening of issue #12) of the per-request code those issues changed, kept
 * ONLY as the baseline that hot-path-micro.ts measures the current code
 * against. Nothing in the apps uses them. Each is copied from 1511baf with
 * its Nest decorators left out; where only a warm path is measured (author
 * cache, celebrity lists), only that path is kept, line for line.
 */
import { isUtf8 } from 'node:buffer';
import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { AuthorView, UserView } from '@app/api';
import { decodeIdCursor } from '@app/api';
import { type Caller, DomainError, type FieldError } from '@app/platform';
import type { FastifyInstance } from 'fastify';

/** 1511baf libs/platform/src/auth/token-verifier.ts: the verified-token memory (a FIFO Map), signature check passed in. */
export class OldTokenVerifier {
  private readonly verified = new Map<string, { caller: Caller; expiresAtMs: number }>();

  constructor(private readonly verifySignature: (token: string) => Promise<{ caller: Caller; expiresAtMs: number }>) {}

  async verify(token: string): Promise<Caller> {
    const cached = this.verified.get(token);
    if (cached && cached.expiresAtMs > Date.now()) return cached.caller;
    if (cached) this.verified.delete(token);
    const { caller, expiresAtMs } = await this.verifySignature(token);
    if (this.verified.size >= OLD_TOKEN_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { caller, expiresAtMs });
    return caller;
  }
}
const OLD_TOKEN_CACHE_SIZE = 10_000;

/** 1511baf libs/platform/src/errors/validation.pipe.ts: the query memory (a FIFO Map per DTO class), no empty-body rule. */
function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

const QUERIES_REMEMBERED = 1_000;

class ValidationPipeWithQueryMemory extends ValidationPipe {
  private readonly validQueries = new Map<unknown, Map<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'query' || !metadata.metatype || !this.toValidate(metadata)) return super.transform(value, metadata);
    let remembered = this.validQueries.get(metadata.metatype);
    if (!remembered) this.validQueries.set(metadata.metatype, (remembered = new Map<string, object>()));
    const key = JSON.stringify(value);
    const known = remembered.get(key);
    if (known) return copyOf(known);
    const validated = (await super.transform(value, metadata)) as object;
    if (remembered.size >= QUERIES_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
    remembered.set(key, validated);
    return copyOf(validated);
  }
}

const copyOf = (instance: object): object => Object.assign(Object.create(Object.getPrototypeOf(instance) as object | null) as object, instance);

export function createOldValidationPipe(): ValidationPipe {
  return new ValidationPipeWithQueryMemory({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      return new DomainError('VALIDATION_FAILED', `Invalid field(s): ${[...new Set(fieldErrors.map((e) => e.field))].join(', ')}`, fieldErrors);
    },
  });
}

/** 1511baf apps/posts/src/services/bounded-map.ts: post contents and their JSON (FIFO, first value kept). */
export class OldBoundedMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    if (this.capacity === 0 || this.entries.has(key)) return;
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
  }
}

/** 1511baf apps/posts/src/services/author-cache.ts: the warm path of byIds (a FIFO Map with expiry stamps; the background refresh left out, the stale set kept). */
export class OldAuthorCache {
  private readonly entries = new Map<string, { author: AuthorView; expiresAt: number }>();
  private readonly stale = new Set<string>();

  constructor(private readonly ttlMs: number) {}

  /** Not async as the original (which awaits the directory on a miss): both sides here return a resolved promise. */
  byIds(ids: Iterable<string>): Promise<Map<string, AuthorView>> {
    const now = Date.now();
    const found = new Map<string, AuthorView>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const entry = this.entries.get(id);
      if (!entry) {
        missing.push(id);
        continue;
      }
      found.set(id, entry.author);
      if (entry.expiresAt <= now) this.stale.add(id);
    }
    if (missing.length === 0) return Promise.resolve(found);
    throw new Error(`the benchmark reads warm authors only (${missing.length} missing)`);
  }

  remember(author: AuthorView, now: number): void {
    this.entries.delete(author.id);
    if (this.entries.size >= 50_000) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(author.id, { author, expiresAt: now + this.ttlMs });
  }
}

/** 1511baf apps/posts/src/repositories/celebrity-posts.cache.ts: the local layer's lookup loop in getMany. */
export class OldCelebrityLocal {
  readonly local = new Map<string, { ids: string[]; expiresAt: number }>();

  lookup(authorIds: string[]): { found: Map<string, string[]>; remote: string[] } {
    const now = Date.now();
    const found = new Map<string, string[]>();
    const remote: string[] = [];
    for (const id of authorIds) {
      const entry = this.local.get(id);
      if (entry && entry.expiresAt > now) found.set(id, entry.ids);
      else remote.push(id);
    }
    return { found, remote };
  }

  remember(entries: Map<string, string[]>, now: number, ttl: number): void {
    if (this.local.size + entries.size > 10_000) this.local.clear();
    for (const [id, ids] of entries) this.local.set(id, { ids, expiresAt: now + ttl });
  }
}

/** 1511baf apps/posts/src/services/page-cursor.ts. */
export function oldCursorId(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = decodeIdCursor(cursor);
  if (id === undefined) throw new DomainError('VALIDATION_FAILED', 'Invalid field(s): cursor', [{ field: 'cursor', message: 'is not a valid cursor' }]);
  return id;
}

interface OldUserRecord {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  createdAt: Date;
}
interface OldUserCounts {
  followersCount: number;
  followingCount: number;
  postsCount: number;
}
const OLD_NO_COUNTS: OldUserCounts = { followersCount: 0, followingCount: 0, postsCount: 0 };

/** 1511baf apps/users/src/services/user-view.ts. */
export function oldUsersToUserView(user: OldUserRecord, counts: OldUserCounts = OLD_NO_COUNTS): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    bio: user.bio,
    createdAt: user.createdAt.toISOString(),
    followersCount: counts.followersCount,
    followingCount: counts.followingCount,
    postsCount: counts.postsCount,
  };
}

/** 1511baf libs/platform/src/http/json-body.ts: JSON bodies, valid UTF-8 only; no empty-body rule, depth limit or text screening. */
export function installOldJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(new DomainError('MALFORMED_REQUEST', 'The request body is not valid UTF-8.'), undefined);
      return;
    }
    void parseJson(request, bytes.toString('utf8'), done);
  });
}
