import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RegisterDto, type UserView } from '@app/api';
import { Upstreams } from '../upstream/upstream.module.js';

@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post('register')
  @HttpCode(201)
  async register(@Body() body: RegisterDto): Promise<UserView> {
    return (await this.upstreams.users.request<UserView>('POST', '/auth/register', { body })).body;
  }
}
