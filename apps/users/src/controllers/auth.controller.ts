import { Body, Controller, Header, HttpCode, Ip, Post, Res } from '@nestjs/common';
import { LoginDto, RefreshTokenDto, RegisterDto, type TokensView, type UserView } from '@app/api';
import { Public } from '@app/platform';
import type { FastifyReply } from 'fastify';
import { AuthService } from '../services/auth.service.js';
import { LoginThrottled } from '../services/login-throttle.js';
import { RegistrationService } from '../services/registration.service.js';

@Public()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly auth: AuthService,
  ) {}

  @Post('register')
  @Header('cache-control', 'no-store')
  @HttpCode(201)
  register(@Body() body: RegisterDto): Promise<UserView> {
    return this.registration.register(body);
  }

  @Post('login')
  @Header('cache-control', 'no-store')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Ip() clientIp: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokensView> {
    // The client's address: the gateway sends it in X-Forwarded-For, believed from TRUST_PROXY's addresses only.
    try {
      return await this.auth.login(body, clientIp);
    } catch (error) {
      if (error instanceof LoginThrottled) void reply.header('retry-after', String(error.retryAfterSeconds));
      throw error;
    }
  }

  @Post('refresh')
  @Header('cache-control', 'no-store')
  @HttpCode(200)
  refresh(@Body() body: RefreshTokenDto): Promise<TokensView> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  logout(@Body() body: RefreshTokenDto): Promise<void> {
    return this.auth.logout(body.refreshToken);
  }
}
