import type { AuthorView, CommentView } from '@app/api';
import type { DirectoryUser } from '@app/domain';
import type { CommentRecord } from '../repositories/comment.repository.js';

export function toCommentView(comment: CommentRecord, authors: Map<string, DirectoryUser>): CommentView {
  return { id: comment.id, postId: comment.postId, author: authorOf(comment.authorId, authors), text: comment.text, createdAt: comment.createdAt.toISOString() };
}

/** An author the directory does not know yet (its event is still on the way) keeps its id. */
function authorOf(id: string, authors: Map<string, DirectoryUser>): AuthorView {
  const known = authors.get(id);
  return known ? { id, username: known.username, displayName: known.displayName } : { id, username: '', displayName: '' };
}
