import { Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { type Caller, CurrentCaller } from '@app/platform';
import { FollowService } from '../services/follow.service.js';

@Controller('users')
export class FollowsController {
  constructor(private readonly follows: FollowService) {}

  @Post(':username/follow')
  @HttpCode(204)
  follow(@CurrentCaller() caller: Caller, @Param('username') username: string): Promise<void> {
    return this.follows.follow(caller, username);
  }

  @Delete(':username/follow')
  @HttpCode(204)
  unfollow(@CurrentCaller() caller: Caller, @Param('username') username: string): Promise<void> {
    return this.follows.unfollow(caller, username);
  }
}
