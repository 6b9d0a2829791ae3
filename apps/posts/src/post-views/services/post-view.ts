import type { AuthorView, PostView } from '@app/api';
import type { PostContent, PostState } from '../repositories/post.repository.js';

/** Maps stored content and fresh state to the public Post object; rows never reach the API directly. */
export function toPostView(content: PostContent, state: PostState, likedByMe: boolean, author: AuthorView): PostView {
  return {
    id: content.id,
    author,
    text: content.text,
    createdAt: content.createdAt,
    likeCount: state.likeCount,
    commentCount: state.commentCount,
    likedByMe,
    hashtags: content.hashtags,
    mentions: content.mentions,
  };
}

/** Shown only until the directory learns of a new user's registration (events are asynchronous). */
export function placeholderAuthor(id: string, username = ''): AuthorView {
  return { id, username, displayName: username };
}
