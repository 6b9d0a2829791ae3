import { Body, Controller, Header, HttpCode, Ip, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LoginDto, RefreshTokenDto, RegisterDto, TokensView, UserView } from '@app/api';
import { ApiJsonBodyProblems, ApiProblems } from '../docs/api-problems.decorator.js';
import { Auth } from '../docs/auth.decorator.js';
import type { FastifyReply } from 'fastify';
import { UpstreamProblemError } from '@app/platform';
import { Upstreams } from '../upstream/upstream.module.js';

/** Passes on the users service's Retry-After of a throttled login (docs/api.md, "Login throttling"). */
async function relayingRetryAfter<T>(reply: FastifyReply, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof UpstreamProblemError && error.retryAfter !== undefined) void reply.header('retry-after', error.retryAfter);
    throw error;
  }
}

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
  async register(@Body() body: RegisterDto, @Ip() clientIp: string): Promise<UserView> {
    return (await this.upstreams.users.request<UserView>('POST', '/auth/register', { body, clientIp })).body;
  }

  @Post('login')
  @Header('cache-control', 'no-store')
  @HttpCode(200)
  @Auth('none')
  @ApiOperation({ summary: 'Log in with a username or email and a password' })
  @ApiOkResponse({ type: TokensView, description: 'A new access token and refresh token.' })
  @ApiProblems(
    [401, 'The login or the password is wrong (one answer for both).'],
    [429, 'Too many requests from this address, or too many failed logins for this account (by any of its logins) or from this address; checked before the password.'],
  )
  async login(@Body() body: LoginDto, @Ip() clientIp: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokensView> {
    return (await relayingRetryAfter(reply, this.upstreams.users.request<TokensView>('POST', '/auth/login', { body, clientIp }))).body;
  }

  @Post('refresh')
  @Header('cache-control', 'no-store')
  @HttpCode(200)
  @Auth('none')
  @ApiOperation({ summary: 'Rotate a refresh token', description: 'The presented refresh token dies. Presenting a rotated token again revokes its whole token family.' })
  @ApiOkResponse({ type: TokensView, description: 'A new access token and the next refresh token of the family.' })
  @ApiProblems([401, 'The refresh token is invalid, expired, rotated or revoked.'])
  async refresh(@Body() body: RefreshTokenDto, @Ip() clientIp: string): Promise<TokensView> {
    return (await this.upstreams.users.request<TokensView>('POST', '/auth/refresh', { body, clientIp })).body;
  }

  @Post('logout')
  @HttpCode(204)
  @Auth('none')
  @ApiOperation({ summary: 'End the session of a refresh token' })
  @ApiNoContentResponse({ description: 'The token family is revoked.' })
  @ApiProblems([401, 'The refresh token is invalid, expired, rotated or revoked.'])
  async logout(@Body() body: RefreshTokenDto, @Ip() clientIp: string): Promise<void> {
    await this.upstreams.users.request('POST', '/auth/logout', { body, clientIp });
  }
}
