import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { UpdateProfileDto, type UserView } from '@app/api';
import { OptionalAuth } from '@app/platform';
import { Upstreams } from '../upstream/upstream.module.js';

@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get('me')
  async me(): Promise<UserView> {
    return (await this.upstreams.users.request<UserView>('GET', '/users/me')).body;
  }

  @Patch('me')
  async update(@Body() body: UpdateProfileDto): Promise<UserView> {
    return (await this.upstreams.users.request<UserView>('PATCH', '/users/me', { body })).body;
  }

  @OptionalAuth()
  @Get(':username')
  async byUsername(@Param('username') username: string): Promise<UserView> {
    return (await this.upstreams.users.request<UserView>('GET', `/users/${encodeURIComponent(username)}`)).body;
  }
}
