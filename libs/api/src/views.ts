import { ApiProperty, ApiPropertyOptional, ApiSchema, IntersectionType } from '@nestjs/swagger';
import { PageOf } from './pagination.js';

/*
 * Response objects of the public API (api-contract.md, "Objects"). They are
 * classes rather than interfaces so that the OpenAPI document is generated
 * from the same types the services return; no instance is ever created.
 */

const SNOWFLAKE = { type: String, pattern: '^[1-9][0-9]{0,18}$', description: 'Snowflake id as a decimal string.' } as const;

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
