import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LoginDto, RefreshTokenDto, RegisterDto, TokensView, UserView } from '@app/api';
import { ApiJsonBodyProblems, ApiProblems } from '../docs/api-problems.decorator.js';
import { Auth } from '../docs/auth.decorator.js';
import { Upstreams } from '../upstream/upstream.module.js';

@ApiTags('auth')
@ApiJsonBodyProblems()
@ApiProblems(429)
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post('register')
  @Header('cache-control', 'no-store')
  @HttpCode(201)
  @Auth('none')
  @ApiOperation({ summary: 'Create an account' })
  @ApiCreatedResponse({ type: UserView, description: 'The new user.' })
  @ApiProblems([409, 'The username or the email address is taken (case-insensitively).'])
  async register(@Body() body: RegisterDto): Promise<UserView> {
    return (await this.upstreams.users.request<UserView>('POST', '/auth/register', { body })).body;
  }

  @Post('login')
  @Header('cache-control', 'no-store')
  @HttpCode(200)
  @Auth('none')
  @ApiOperation({ summary: 'Log in with a username or email and a password' })
  @ApiOkResponse({ type: TokensView, description: 'A new access token and refresh token.' })
  @ApiProblems([401, 'The login or the password is wrong (one answer for both).'])
  async login(@Body() body: LoginDto): Promise<TokensView> {
    return (await this.upstreams.users.request<TokensView>('POST', '/auth/login', { body })).body;
  }

  @Post('refresh')
  @Header('cache-control', 'no-store')
  @HttpCode(200)
  @Auth('none')
  @ApiOperation({ summary: 'Rotate a refresh token', description: 'The presented refresh token dies. Presenting a rotated token again revokes its whole token family.' })
  @ApiOkResponse({ type: TokensView, description: 'A new access token and the next refresh token of the family.' })
  @ApiProblems([401, 'The refresh token is invalid, expired, rotated or revoked.'])
  async refresh(@Body() body: RefreshTokenDto): Promise<TokensView> {
    return (await this.upstreams.users.request<TokensView>('POST', '/auth/refresh', { body })).body;
  }

  @Post('logout')
  @HttpCode(204)
  @Auth('none')
  @ApiOperation({ summary: 'End the session of a refresh token' })
  @ApiNoContentResponse({ description: 'The token family is revoked.' })
  @ApiProblems([401, 'The refresh token is invalid, expired, rotated or revoked.'])
  async logout(@Body() body: RefreshTokenDto): Promise<void> {
    await this.upstreams.users.request('POST', '/auth/logout', { body });
  }
}
