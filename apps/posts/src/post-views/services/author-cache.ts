import { Inject, Injectable } from '@nestjs/common';
import type { AuthorView } from '@app/api';
import { UserDirectory } from '@app/domain';
import { APP_CONFIG, type AppLogger, BoundedCache, LOGGER } from '@app/platform';
import type { PostsConfig } from '../../config/posts.config.js';

const MAX_ENTRIES = 50_000;
/** Stale entries are collected this long, then refreshed together in one query. */
const REFRESH_BATCH_MS = 100;

interface Entry {
  author: AuthorView;
  expiresAt: number;
}

/**
 * Authors from the user directory, kept in process memory: every page shows
 * the same few authors again and again. An entry older than
 * AUTHOR_CACHE_TTL_MS is still served, and refreshed in the background in
 * one batched query, so that expiries never put Postgres in a page's path;
 * a rename therefore shows after about that long. Only unknown ids are read
 * while the caller waits (ids the directory has not seen yet are not cached).
 */
@Injectable()
export class AuthorCache {
  /** Expired entries stay (served while refreshed); with AUTHOR_CACHE_TTL_MS 0 nothing is kept. */
  private readonly entries: BoundedCache<string, Entry>;
  private readonly stale = new Set<string>();
  private refreshing = false;

  constructor(
    private readonly directory: UserDirectory,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    this.entries = new BoundedCache({ name: 'authors', maxEntries: config.AUTHOR_CACHE_TTL_MS === 0 ? 0 : MAX_ENTRIES });
  }

  async byIds(ids: Iterable<string>): Promise<Map<string, AuthorView>> {
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
    if (this.stale.size > 0) this.refreshSoon();
    if (missing.length === 0) return found;
    for (const [id, author] of await this.load(missing)) found.set(id, author);
    return found;
  }

  private async load(ids: string[]): Promise<Map<string, AuthorView>> {
    const now = Date.now();
    const loaded = new Map<string, AuthorView>();
    for (const [id, user] of await this.directory.findByIds(ids)) {
      const author = { id: user.id, username: user.username, displayName: user.displayName };
      loaded.set(id, author);
      this.remember(author, now);
    }
    return loaded;
  }

  /** One query for every entry found stale since the last refresh; failures keep serving the old names. */
  private refreshSoon(): void {
    if (this.refreshing) return;
    this.refreshing = true;
    setTimeout(() => {
      const ids = [...this.stale];
      this.stale.clear();
      this.load(ids)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'author cache: refresh failed; serving the cached names'))
        .finally(() => {
          this.refreshing = false;
        });
    }, REFRESH_BATCH_MS).unref();
  }

  private remember(author: AuthorView, now: number): void {
    this.entries.set(author.id, { author, expiresAt: now + this.config.AUTHOR_CACHE_TTL_MS });
  }
}
