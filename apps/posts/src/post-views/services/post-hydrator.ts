import { Inject, Injectable } from '@nestjs/common';
import type { PostView } from '@app/api';
import { type AppLogger, type Caller, LOGGER, Metrics } from '@app/platform';
import { type CachedPosts, PostCache } from '../repositories/post.cache.js';
import { type PostContent, PostRepository, type PostState } from '../repositories/post.repository.js';
import { ViewerLikesRepository } from '../repositories/viewer-likes.repository.js';
import { AuthorCache } from './author-cache.js';
import { placeholderAuthor, toPostView } from './post-view.js';

/**
 * Turns post ids into Post objects in batches, never per item: content,
 * counts, deletion and the viewer's likes from the Redis post cache in one
 * round trip; whatever it lacks from Postgres in at most two queries (posts,
 * the viewer's likes), then cached; authors from the author cache. Deleted
 * and unknown ids are dropped; order is kept.
 */
@Injectable()
export class PostHydrator {
  /** Liked sets being built, so that concurrent pages of one viewer build it once. */
  private readonly likedLoads = new Map<string, Promise<void>>();

  constructor(
    private readonly posts: PostRepository,
    private readonly likes: ViewerLikesRepository,
    private readonly cache: PostCache,
    private readonly authors: AuthorCache,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  async hydrate(ids: string[], viewer: Caller | undefined): Promise<PostView[]> {
    if (ids.length === 0) return [];
    const cached = await this.cache.read(ids, viewer?.id).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'post cache: read failed; loading from Postgres');
      return undefined;
    });
    const { contents, states, liked: cachedLikes } = cached ?? { contents: new Map<string, PostContent>(), states: new Map<string, PostState>(), liked: undefined };

    const misses = ids.filter((id) => !contents.has(id) || !states.has(id));
    Metrics.cacheRequests.inc({ cache: 'post', result: 'hit' }, ids.length - misses.length);
    Metrics.cacheRequests.inc({ cache: 'post', result: 'miss' }, misses.length);
    const [loaded, liked] = await Promise.all([
      this.posts.rows(misses),
      cachedLikes ?? (viewer ? this.likes.likedAmong(viewer.id, ids) : Promise.resolve(new Set<string>())),
    ]);
    for (const { content, state } of loaded) {
      contents.set(content.id, content);
      states.set(content.id, state);
    }
    if (cached) this.fillCache(cached, loaded, viewer);

    const live = ids.flatMap((id) => {
      const content = contents.get(id);
      const state = states.get(id);
      return content && state && !state.deleted ? [{ content, state }] : [];
    });
    const authors = await this.authors.byIds(live.map(({ content }) => content.authorId));
    return live.map(({ content, state }) =>
      toPostView(
        content,
        state,
        liked.has(content.id),
        authors.get(content.authorId) ?? placeholderAuthor(content.authorId, viewer && content.authorId === viewer.id ? viewer.username : ''),
      ),
    );
  }

  /** Caches what came from Postgres, in the background: the answer does not wait for it. */
  private fillCache(cached: CachedPosts, loaded: Awaited<ReturnType<PostRepository['rows']>>, viewer: Caller | undefined): void {
    if (loaded.length > 0) {
      void this.cache
        .writePosts(loaded.map(({ content, state }) => ({ id: content.id, content, state })))
        .catch((error: unknown) => this.logger.warn({ err: error }, 'post cache: write failed'));
    }
    if (viewer && !cached.liked && !this.likedLoads.has(viewer.id)) {
      const load = this.cache
        .likedGeneration(viewer.id)
        .then(async (generation) => this.cache.loadLiked(viewer.id, generation, await this.likes.likedBy(viewer.id)))
        .catch((error: unknown) => this.logger.warn({ err: error }, 'post cache: liked set not built'))
        .finally(() => this.likedLoads.delete(viewer.id));
      this.likedLoads.set(viewer.id, load);
    }
  }
}
