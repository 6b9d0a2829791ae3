import { Inject, Injectable } from '@nestjs/common';
import type { AuthorView } from '@app/api';
import { APP_CONFIG, UserDirectory } from '@app/platform';
import type { PostsConfig } from '../config/posts.config.js';

const MAX_ENTRIES = 50_000;

/**
 * Authors from the user directory, kept in process memory for a few seconds:
 * every page shows the same few authors again and again, and a rename may
 * show up that much later. Unknown ids (the directory has not seen the
 * user's registration event yet) are not cached.
 */
@Injectable()
export class AuthorCache {
  private readonly entries = new Map<string, { author: AuthorView; expiresAt: number }>();

  constructor(
    private readonly directory: UserDirectory,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
  ) {}

  async byIds(ids: Iterable<string>): Promise<Map<string, AuthorView>> {
    const now = Date.now();
    const found = new Map<string, AuthorView>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const entry = this.entries.get(id);
      if (entry && entry.expiresAt > now) found.set(id, entry.author);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const loaded = await this.directory.findByIds(missing);
    for (const [id, user] of loaded) {
      const author = { id: user.id, username: user.username, displayName: user.displayName };
      found.set(id, author);
      this.remember(author, now);
    }
    return found;
  }

  private remember(author: AuthorView, now: number): void {
    if (this.config.AUTHOR_CACHE_TTL_MS === 0) return;
    this.entries.delete(author.id);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(author.id, { author, expiresAt: now + this.config.AUTHOR_CACHE_TTL_MS });
  }
}
