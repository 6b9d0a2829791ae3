import { Inject, Injectable } from '@nestjs/common';
import type { PostView } from '@app/api';
import { type AppLogger, type Caller, DomainError, LOGGER, SnowflakeGenerator, UnitOfWork } from '@app/platform';
import { FeedStore } from '../repositories/feed.store.js';
import { PostCache } from '../repositories/post.cache.js';
import { type PostContent, PostRepository, type PostState } from '../repositories/post.repository.js';
import { AuthorCache } from './author-cache.js';
import { CelebrityPosts } from './celebrity-posts.js';
import { padId } from './feed-ids.js';
import { placeholderAuthor, toPostView } from './post-view.js';
import { extractEntities } from './text-entities.js';

export const postNotFound = () => new DomainError('POST_NOT_FOUND', 'No such post.');

const NEW_POST_STATE: PostState = { version: 0, likeCount: 0, commentCount: 0, deleted: false };

/** Creating and deleting posts; each change and its event commit together (outbox). */
@Injectable()
export class PostWriter {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly posts: PostRepository,
    private readonly ids: SnowflakeGenerator,
    private readonly cache: PostCache,
    private readonly celebrityPosts: CelebrityPosts,
    private readonly authors: AuthorCache,
    private readonly feeds: FeedStore,
    @Inject(LOGGER) private readonly logger: AppLogger,
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
    await this.cache.writeState(postId, state).catch((error: unknown) => this.logger.warn({ err: error, postId }, 'post cache: deletion not written'));
  }

  /**
   * Warms the post cache, drops the author's cached recent ids (so that a
   * celebrity's followers see the post on their next read) and puts the post
   * into the author's own feed at once, so that authors read their own
   * writes; the fan-out adds it there again, harmlessly. Best effort: the post
   * is committed, and whatever is missing is rebuilt from Postgres.
   */
  private async afterCreate(post: PostContent): Promise<void> {
    await Promise.all([
      this.cache.writePosts([{ id: post.id, content: post, state: NEW_POST_STATE }]),
      this.celebrityPosts.forget(post.authorId),
      this.feeds.add([post.authorId], [padId(post.id)]),
    ]).catch((error: unknown) =>
      this.logger.warn({ err: error, postId: post.id }, 'post caches not updated after create'),
    );
  }
}
