import { IsString } from 'class-validator';
import { IsText, Trim } from './text.js';

export const POST_MAX_LENGTH = 280;
export const COMMENT_MAX_LENGTH = 500;

/** `POST /posts`: 1..280 code points after trimming; line breaks allowed. */
export class CreatePostDto {
  @Trim()
  @IsString()
  @IsText(1, POST_MAX_LENGTH, { allowNewlines: true, message: `must be 1 to ${POST_MAX_LENGTH} characters` })
  text!: string;
}

/** `POST /posts/{id}/comments`: 1..500 code points after trimming. */
export class CreateCommentDto {
  @Trim()
  @IsString()
  @IsText(1, COMMENT_MAX_LENGTH, { allowNewlines: true, message: `must be 1 to ${COMMENT_MAX_LENGTH} characters` })
  text!: string;
}

/** Author embedded in posts and comments. */
export interface AuthorView {
  id: string;
  username: string;
  displayName: string;
}

export interface PostView {
  id: string;
  author: AuthorView;
  text: string;
  createdAt: string;
  likeCount: number;
  commentCount: number;
  likedByMe: boolean;
  hashtags: string[];
  mentions: string[];
}

export interface CommentView {
  id: string;
  postId: string;
  author: AuthorView;
  text: string;
  createdAt: string;
}
