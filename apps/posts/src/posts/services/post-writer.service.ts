import { Inject, Injectable } from '@nestjs/common';
import type { PostView } from '@app/api';
import { APP_CONFIG, type AppLogger, type Caller, DomainError, LOGGER, SnowflakeGenerator, UnitOfWork, withinRedisDeadline } from '@app/platform';
import type { PostsConfig } from '../../config/posts.config.js';
import { NewPostFeedUpdate } from '../../feed/services/new-post-feed-update.js';
import { PostCache } from '../../post-views/repositories/post.cache.js';
import { type PostContent, PostRepository, type PostState } from '../../post-views/repositories/post.repository.js';
import { AuthorCache } from '../../post-views/services/author-cache.js';
import { PostCacheRepair } from '../../post-views/services/post-cache-repair.js';
import { placeholderAuthor, toPostView } from '../../post-views/services/post-view.js';
import { postNotFound } from '../../shared/post-not-found.js';
import { extractEntities } from './text-entities.js';

const NEW_POST_STATE: PostState = { version: 0, likeCount: 0, commentCount: 0, deleted: false };

/** Creating and deleting posts; each change and its event commit together (outbox). */
@Injectable()
export class PostWriter {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly posts: PostRepository,
    private readonly ids: SnowflakeGenerator,
    private readonly cache: PostCache,
    private readonly repair: PostCacheRepair,
    private readonly authors: AuthorCache,
    private readonly feedUpdate: NewPostFeedUpdate,
    @Inject(LOGGER) private readonly logger: AppLogger,
    @Inject(APP_CONFIG) private readonly config: PostsConfig,
  ) {}

  /** `text` is already trimmed and validated (CreatePostDto). */
  async create(caller: Caller, text: string): Promise<PostView> {
    const entities = extractEntities(text);
    const post = await this.unitOfWork.run(async (tx) => {
      const created = await this.posts.insert(tx.manager, { id: this.ids.next(), authorId: caller.id, text, ...entities });
      await tx.publish({
        type: 'post.created',
        key: created.id,
        data: { postId: created.id, authorId: created.authorId, text: created.text, hashtags: created.hashtags, mentions: created.mentions, createdAt: created.createdAt },
      });
      return created;
    });
    await this.afterCreate(post);
    const author = (await this.authors.byIds([caller.id])).get(caller.id) ?? placeholderAuthor(caller.id, caller.username);
    return toPostView(post, NEW_POST_STATE, false, author);
  }

  /** Only the author may delete (checked here, in the owning service). Feeds drop the post lazily: reads skip deleted posts. */
  async delete(caller: Caller, postId: string): Promise<void> {
    const state = await this.unitOfWork.run(async (tx) => {
      const post = await this.posts.findForDelete(tx.manager, postId);
      if (!post || post.deleted) throw postNotFound();
      if (post.authorId !== caller.id) throw new DomainError('FORBIDDEN', 'Only the author can delete a post.');
      const deleted = await this.posts.markDeleted(tx.manager, postId);
      await tx.publish({ type: 'post.deleted', key: postId, data: { postId, authorId: post.authorId, deletedAt: deleted.deletedAt.toISOString() } });
      return deleted.state;
    });
    await withinRedisDeadline(this.cache.writeState(postId, state), this.config.REDIS_REQUEST_TIMEOUT_MS, 'state-written').catch((error: unknown) =>
      this.repair.stateNotWritten(postId, error),
    );
  }

  /**
   * Warms the post cache and updates the feeds that must show the post at
   * once (NewPostFeedUpdate). Best effort: the post is committed, and
   * whatever is missing is rebuilt from Postgres.
   */
  private async afterCreate(post: PostContent): Promise<void> {
    const written = Promise.all([this.cache.writePosts([{ id: post.id, content: post, state: NEW_POST_STATE }]), this.feedUpdate.postCreated(post)]);
    await withinRedisDeadline(written, this.config.REDIS_REQUEST_TIMEOUT_MS, 'post-written').catch((error: unknown) =>
      this.logger.warn({ err: error, postId: post.id }, 'post caches not updated after create'),
    );
  }
}
