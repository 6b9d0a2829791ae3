import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { LoginDto, RefreshTokenDto, RegisterDto, type TokensView, type UserView } from '@app/api';
import { Public } from '@app/platform';
import { Upstreams } from '../upstream/upstream.module.js';

@Public()
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post('register')
  @HttpCode(201)
  async register(@Body() body: RegisterDto): Promise<UserView> {
    return (await this.upstreams.users.request<UserView>('POST', '/auth/register', { body })).body;
  }

  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto): Promise<TokensView> {
    return (await this.upstreams.users.request<TokensView>('POST', '/auth/login', { body })).body;
  }

  @Post('refresh')
  @HttpCode(200)
  async refresh(@Body() body: RefreshTokenDto): Promise<TokensView> {
    return (await this.upstreams.users.request<TokensView>('POST', '/auth/refresh', { body })).body;
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Body() body: RefreshTokenDto): Promise<void> {
    await this.upstreams.users.request('POST', '/auth/logout', { body });
  }
}
