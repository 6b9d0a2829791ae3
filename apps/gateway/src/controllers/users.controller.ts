import { Body, Controller, Get, Header, Param, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentUserView, UpdateProfileDto, USERNAME_PATTERN, UserView } from '@app/api';
import { ApiJsonBodyProblems, ApiProblems } from '../docs/api-problems.decorator.js';
import { Auth } from '../docs/auth.decorator.js';
import { Upstreams } from '../upstream/upstream.module.js';

@ApiTags('users')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get('me')
  @Header('cache-control', 'no-store')
  @Auth('required')
  @ApiOperation({ summary: "The caller's own profile, with email" })
  @ApiOkResponse({ type: CurrentUserView, description: 'The caller as a User with `email`.' })
  async me(): Promise<UserView> {
    return (await this.upstreams.users.request<UserView>('GET', '/users/me')).body;
  }

  @Patch('me')
  @Header('cache-control', 'no-store')
  @Auth('required')
  @ApiOperation({ summary: "Change the caller's display name or bio", description: 'Only the given fields change.' })
  @ApiOkResponse({ type: CurrentUserView, description: 'The updated profile.' })
  @ApiJsonBodyProblems()
  @ApiProblems(429)
  async update(@Body() body: UpdateProfileDto): Promise<UserView> {
    return (await this.upstreams.users.request<UserView>('PATCH', '/users/me', { body })).body;
  }

  @Get(':username')
  @Auth('optional')
  @ApiOperation({ summary: 'A user by username (case-insensitive)' })
  @ApiParam({ name: 'username', description: 'Matched case-insensitively.', schema: { type: 'string', pattern: USERNAME_PATTERN.source } })
  @ApiOkResponse({ type: UserView, description: 'The user; `followedByMe` when the caller sent a token.' })
  @ApiProblems([404, 'No such user.'])
  async byUsername(@Param('username') username: string): Promise<UserView> {
    // Public profiles (counts, followedByMe) are graph's read model.
    return (await this.upstreams.graph.request<UserView>('GET', `/users/${encodeURIComponent(username)}`)).body;
  }
}
