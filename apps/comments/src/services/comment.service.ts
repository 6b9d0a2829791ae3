import { Injectable } from '@nestjs/common';
import { type CommentView, idFromCursor, type Page, pageOf } from '@app/api';
import { UserDirectory } from '@app/domain';
import { type Caller, DomainError, SnowflakeGenerator, UnitOfWork } from '@app/platform';
import { CommentRepository } from '../repositories/comment.repository.js';
import { PostProjectionRepository } from '../repositories/post-projection.repository.js';
import { toCommentView } from './comment-view.js';
import { KnownPosts } from './known-posts.service.js';

const postNotFound = () => new DomainError('POST_NOT_FOUND', 'No such post.');

@Injectable()
export class CommentService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly comments: CommentRepository,
    private readonly posts: PostProjectionRepository,
    private readonly directory: UserDirectory,
    private readonly ids: SnowflakeGenerator,
    private readonly knownPosts: KnownPosts,
  ) {}

  async create(caller: Caller, postId: string, text: string): Promise<CommentView> {
    // Outside the transaction: waiting for a post in flight must not hold a connection.
    if (!(await this.knownPosts.findLive(postId))) throw postNotFound();
    const comment = await this.unitOfWork.run(async (tx) => {
      // Checked again in the transaction: the post may have been deleted meanwhile.
      if (!(await this.posts.findLive(postId, tx.manager))) throw postNotFound();
      const created = await this.comments.insert(tx.manager, { id: this.ids.next(), postId, authorId: caller.id, text });
      await tx.publish({
        type: 'comment.created',
        key: postId,
        aggregateId: created.id,
        data: { commentId: created.id, postId, authorId: caller.id, text, createdAt: created.createdAt.toISOString() },
      });
      return created;
    });
    return toCommentView(comment, await this.directory.findByIds([comment.authorId]));
  }

  async list(postId: string, limit: number, cursor?: string): Promise<Page<CommentView>> {
    const afterId = idFromCursor(cursor);
    if (!(await this.knownPosts.findLive(postId))) throw postNotFound();
    const rows = await this.comments.pageOfPost(postId, limit + 1, afterId);
    const authors = await this.directory.findByIds(rows.map((row) => row.authorId));
    return pageOf(rows, limit, (row) => toCommentView(row, authors));
  }

  /** The comment's author or the post's author may delete it. */
  async delete(caller: Caller, commentId: string): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const comment = await this.comments.findLiveForUpdate(tx.manager, commentId);
      if (!comment) throw new DomainError('COMMENT_NOT_FOUND', 'No such comment.');
      const post = await this.posts.findLive(comment.postId, tx.manager);
      if (comment.authorId !== caller.id && post?.authorId !== caller.id) {
        throw new DomainError('FORBIDDEN', 'Only the comment author or the post author can delete this comment.');
      }
      await this.comments.softDelete(tx.manager, commentId);
      await tx.publish({
        type: 'comment.deleted',
        key: comment.postId,
        aggregateId: commentId,
        data: { commentId, postId: comment.postId, deletedAt: new Date().toISOString() },
      });
    });
  }
}
