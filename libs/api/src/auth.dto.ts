import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsText, Trim } from './text.js';

/** `POST /auth/login`: `login` is a username or an email address. */
export class LoginDto {
  @Trim()
  @IsString()
  @IsText(1, 254, { message: 'must be a username or an email address' })
  login!: string;

  @IsString()
  @IsText(1, 128, { message: 'must be 1 to 128 characters' })
  password!: string;
}

/** `POST /auth/refresh` and `POST /auth/logout`. */
export class RefreshTokenDto {
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  refreshToken!: string;
}

export interface TokensView {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}
