import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';
import { IfPresent, IsText, IsVisibleText, Trim } from './text.js';

export const USERNAME_PATTERN = /^[A-Za-z0-9_]{3,30}$/;

/** `POST /auth/register` body; validated at the gateway and again by users. */
@ApiSchema({ name: 'RegisterRequest' })
export class RegisterDto {
  @ApiProperty({ pattern: USERNAME_PATTERN.source, minLength: 3, maxLength: 30, description: 'Unique case-insensitively; stored as given.', example: 'ada_l' })
  @Trim()
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'must be 3 to 30 letters, digits or underscores' })
  username!: string;

  @ApiProperty({ format: 'email', maxLength: 254, description: 'Unique case-insensitively.', example: 'ada@example.com' })
  @Trim()
  @IsString()
  @MaxLength(254)
  @IsEmail({ allow_display_name: false, allow_ip_domain: false }, { message: 'must be a valid email address' })
  email!: string;

  // Passwords are not trimmed: white space is part of a secret.
  @ApiProperty({ format: 'password', minLength: 8, maxLength: 128, description: '8 to 128 characters, no control characters.', example: 'correct horse battery' })
  @IsString()
  @IsText(8, 128, { message: 'must be 8 to 128 characters', allowNewlines: false })
  password!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 50, description: '1 to 50 characters after trimming, at least one of them visible; defaults to the username.', example: 'Ada Lovelace' })
  @IfPresent()
  @Trim()
  @IsText(1, 50)
  @IsVisibleText()
  displayName?: string;
}

/** `PATCH /users/me`: only the given fields change. */
@ApiSchema({ name: 'UpdateProfileRequest' })
export class UpdateProfileDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 50, description: '1 to 50 characters after trimming, at least one of them visible.', example: 'Ada Lovelace' })
  @IfPresent()
  @Trim()
  @IsText(1, 50)
  @IsVisibleText()
  displayName?: string;

  @ApiPropertyOptional({ maxLength: 160, description: '0 to 160 characters after trimming; line breaks allowed.', example: 'Analyst of engines.' })
  @IfPresent()
  @Trim()
  @IsText(0, 160, { allowNewlines: true })
  bio?: string;
}
