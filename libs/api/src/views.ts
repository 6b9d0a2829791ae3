import { ApiProperty, ApiPropertyOptional, ApiSchema, IntersectionType } from '@nestjs/swagger';
import { PageOf } from './pagination.js';
import { COMMENT_MAX_LENGTH, POST_MAX_LENGTH } from './posts.dto.js';

/*
 * Response objects of the public API (docs/api.md and the OpenAPI document). They are
 * classes rather than interfaces so that the OpenAPI document is generated
 * from the same types the services return; no instance is ever created.
 */

/** A Snowflake id as the API writes it: a decimal string (it exceeds 2^53). */
export const SNOWFLAKE_ID_PATTERN = '^[1-9][0-9]{0,18}$';
const SNOWFLAKE = { type: String, pattern: SNOWFLAKE_ID_PATTERN, description: 'Snowflake id as a decimal string.' } as const;

/** The public User object. */
@ApiSchema({ name: 'User' })
export class UserView {
  @ApiProperty({ ...SNOWFLAKE, example: '7401234567890123456' })
  id!: string;

  @ApiProperty({ pattern: '^[A-Za-z0-9_]{3,30}$', example: 'ada_l' })
  username!: string;

  @ApiProperty({ minLength: 1, maxLength: 50, example: 'Ada Lovelace' })
  displayName!: string;

  @ApiProperty({ maxLength: 160, example: 'Analyst of engines.' })
  bio!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-31T12:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 0 })
  followersCount!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 0 })
  followingCount!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 0 })
  postsCount!: number;

  @ApiPropertyOptional({ description: 'Whether the caller follows this user; present only for an authenticated caller.' })
  followedByMe?: boolean;

  // Only the owner sees it (CurrentUserView); not part of the public object.
  email?: string;
}

class EmailPart {
  @ApiProperty({ format: 'email', maxLength: 254, example: 'ada@example.com' })
  email!: string;
}

/** The caller's own profile (User with `email`): `GET/PATCH /users/me`. */
@ApiSchema({ name: 'CurrentUser' })
export class CurrentUserView extends IntersectionType(UserView, EmailPart) {}

/** `POST /auth/login` and `POST /auth/refresh`. */
@ApiSchema({ name: 'Tokens' })
export class TokensView {
  @ApiProperty({ description: 'Short-lived ES256 JWT; send it as `Authorization: Bearer <accessToken>`.', example: 'eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI3NDAxIn0.c2lnbmF0dXJl' })
  accessToken!: string;

  @ApiProperty({ description: 'Opaque, single use: `POST /auth/refresh` rotates it.', example: 'Zb1m3Q8xQy2v2kR5o4m7cJ9sTqW0eH6uLpA1nD3fG5I' })
  refreshToken!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Lifetime of the access token in seconds.', example: 900 })
  expiresIn!: number;
}

export const UserPage = PageOf(UserView, 'UserPage');

/** The author embedded in posts and comments. */
@ApiSchema({ name: 'Author' })
export class AuthorView {
  @ApiProperty({ ...SNOWFLAKE, example: '7401234567890123456' })
  id!: string;

  // Services hear of a registration by event: until then they know only the id.
  @ApiProperty({
    pattern: '^(?:[A-Za-z0-9_]{3,30})?$',
    description: 'Username as stored; empty only for a moment after the author registers, until the serving service has heard of the account.',
    example: 'ada_l',
  })
  username!: string;

  @ApiProperty({ maxLength: 50, description: 'Display name (1 to 50 characters); empty only while `username` is.', example: 'Ada Lovelace' })
  displayName!: string;
}

/** The public Post object. */
@ApiSchema({ name: 'Post' })
export class PostView {
  @ApiProperty({ ...SNOWFLAKE, description: 'Snowflake id as a decimal string; later posts have larger ids.', example: '7401234567890123456' })
  id!: string;

  @ApiProperty({ type: () => AuthorView })
  author!: AuthorView;

  @ApiProperty({ minLength: 1, maxLength: POST_MAX_LENGTH, description: `The text as posted, trimmed: 1 to ${POST_MAX_LENGTH} characters (code points); may contain line breaks.`, example: 'Hello #Warble, @grace_h!' })
  text!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-31T12:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Number of likes (follows likes within seconds).', example: 0 })
  likeCount!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Number of comments (follows comments within seconds).', example: 0 })
  commentCount!: number;

  @ApiProperty({ description: 'Whether the caller likes the post; always false for an anonymous caller.', example: false })
  likedByMe!: boolean;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', minLength: 1 },
    uniqueItems: true,
    description: 'Hashtags of the text, lower-cased, without `#`, in order of first appearance.',
    example: ['warble'],
  })
  hashtags!: string[];

  @ApiProperty({
    type: 'array',
    items: { type: 'string', pattern: '^[A-Za-z0-9_]{3,30}$' },
    uniqueItems: true,
    description: 'Usernames mentioned in the text, as written, without `@`, in order of first appearance.',
    example: ['grace_h'],
  })
  mentions!: string[];
}

/** The public Comment object. */
@ApiSchema({ name: 'Comment' })
export class CommentView {
  @ApiProperty({ ...SNOWFLAKE, example: '7401234567890123999' })
  id!: string;

  @ApiProperty({ ...SNOWFLAKE, description: 'Id of the post commented on.', example: '7401234567890123456' })
  postId!: string;

  @ApiProperty({ type: () => AuthorView })
  author!: AuthorView;

  @ApiProperty({ minLength: 1, maxLength: COMMENT_MAX_LENGTH, description: `The text as sent, trimmed: 1 to ${COMMENT_MAX_LENGTH} characters (code points); may contain line breaks.`, example: 'Well said.' })
  text!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-31T12:05:00.000Z' })
  createdAt!: string;
}

export const PostPage = PageOf(PostView, 'PostPage');
export const CommentPage = PageOf(CommentView, 'CommentPage');
