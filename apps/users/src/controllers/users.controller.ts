import { Body, Controller, Get, Header, Param, Patch } from '@nestjs/common';
import { UpdateProfileDto, type UserView } from '@app/api';
import { type Caller, CurrentCaller, OptionalAuth } from '@app/platform';
import { ProfileService } from '../services/profile.service.js';

@Controller('users')
export class UsersController {
  constructor(private readonly profiles: ProfileService) {}

  @Get('me')
  @Header('cache-control', 'no-store')
  me(@CurrentCaller() caller: Caller): Promise<UserView> {
    return this.profiles.me(caller.id);
  }

  @Patch('me')
  @Header('cache-control', 'no-store')
  update(@CurrentCaller() caller: Caller, @Body() body: UpdateProfileDto): Promise<UserView> {
    return this.profiles.update(caller.id, body);
  }

  @OptionalAuth()
  @Get(':username')
  byUsername(@Param('username') username: string): Promise<UserView> {
    return this.profiles.byUsername(username);
  }
}
