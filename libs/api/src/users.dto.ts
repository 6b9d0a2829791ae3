import { IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsText, Trim } from './text.js';

export const USERNAME_PATTERN = /^[A-Za-z0-9_]{3,30}$/;

/** `POST /auth/register` body; validated at the gateway and again by users. */
export class RegisterDto {
  @Trim()
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'must be 3 to 30 letters, digits or underscores' })
  username!: string;

  @Trim()
  @IsString()
  @MaxLength(254)
  @IsEmail({ allow_display_name: false, allow_ip_domain: false }, { message: 'must be a valid email address' })
  email!: string;

  // Passwords are not trimmed: white space is part of a secret.
  @IsString()
  @IsText(8, 128, { message: 'must be 8 to 128 characters', allowNewlines: false })
  password!: string;

  @IsOptional()
  @Trim()
  @IsText(1, 50)
  displayName?: string;
}

/** `PATCH /users/me`: only the given fields change. */
export class UpdateProfileDto {
  @IsOptional()
  @Trim()
  @IsText(1, 50)
  displayName?: string;

  @IsOptional()
  @Trim()
  @IsText(0, 160, { allowNewlines: true })
  bio?: string;
}

/** The public User object (api-contract.md, "Objects"). */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  createdAt: string;
  followersCount: number;
  followingCount: number;
  postsCount: number;
  followedByMe?: boolean;
  email?: string;
}
