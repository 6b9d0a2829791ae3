import { Controller, Get, Param, Query } from '@nestjs/common';
import { type Page, PageQueryDto, type UserView } from '@app/api';
import { type Caller, CurrentCaller, OptionalAuth } from '@app/platform';
import { ProfileService } from '../services/profile.service.js';

/** Public profile reads; graph owns them since it holds the counts. */
@OptionalAuth()
@Controller('users')
export class ProfilesController {
  constructor(private readonly profiles: ProfileService) {}

  @Get(':username')
  byUsername(@Param('username') username: string, @CurrentCaller() caller?: Caller): Promise<UserView> {
    return this.profiles.byUsername(username, caller);
  }

  @Get(':username/followers')
  followers(@Param('username') username: string, @Query() page: PageQueryDto, @CurrentCaller() caller?: Caller): Promise<Page<UserView>> {
    return this.profiles.list('followers', username, page, caller);
  }

  @Get(':username/following')
  following(@Param('username') username: string, @Query() page: PageQueryDto, @CurrentCaller() caller?: Caller): Promise<Page<UserView>> {
    return this.profiles.list('following', username, page, caller);
  }
}
