import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { LoginDto, RefreshTokenDto, RegisterDto, type TokensView, type UserView } from '@app/api';
import { Public } from '@app/platform';
import { AuthService } from '../services/auth.service.js';
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
  login(@Body() body: LoginDto): Promise<TokensView> {
    return this.auth.login(body);
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
