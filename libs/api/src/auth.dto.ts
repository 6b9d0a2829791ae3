import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsText, Trim } from './text.js';

/** `POST /auth/login`: `login` is a username or an email address. */
@ApiSchema({ name: 'LoginRequest' })
export class LoginDto {
  @ApiProperty({ minLength: 1, maxLength: 254, description: 'Username or email address (case-insensitive).', example: 'ada_l' })
  @Trim()
  @IsString()
  @IsText(1, 254, { message: 'must be a username or an email address' })
  login!: string;

  @ApiProperty({ format: 'password', minLength: 1, maxLength: 128, example: 'correct horse battery' })
  @IsString()
  @IsText(1, 128, { message: 'must be 1 to 128 characters' })
  password!: string;
}

/** `POST /auth/refresh` and `POST /auth/logout`. */
@ApiSchema({ name: 'RefreshTokenRequest' })
export class RefreshTokenDto {
  @ApiProperty({ minLength: 16, maxLength: 256, description: '`refreshToken` of the last Tokens answer.', example: 'Zb1m3Q8xQy2v2kR5o4m7cJ9sTqW0eH6uLpA1nD3fG5I' })
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  refreshToken!: string;
}
