import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type Page, PageQueryDto, USERNAME_PATTERN, UserPage, type UserView } from '@app/api';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { Auth } from '../docs/auth.decorator.js';
import { Upstreams } from '../upstream/upstream.module.js';

const path = (username: string, rest: string) => `/users/${encodeURIComponent(username)}/${rest}`;

/** The social graph (docs/api.md, "Routes"): follow edges and lists, owned by graph. */
@ApiTags('users')
@ApiParam({ name: 'username', schema: { type: 'string', pattern: USERNAME_PATTERN.source }, example: 'ada_l' })
@Controller('api/v1/users')
export class GraphController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post(':username/follow')
  @HttpCode(204)
  @Auth('required')
  @ApiOperation({ summary: 'Follow a user', description: 'Idempotent: following someone already followed changes nothing.' })
  @ApiNoContentResponse({ description: 'The caller follows the user.' })
  @ApiProblems([400, 'The caller tried to follow themselves.'], [404, 'No such user.'], 429)
  async follow(@Param('username') username: string): Promise<void> {
    await this.upstreams.graph.request('POST', path(username, 'follow'));
  }

  @Delete(':username/follow')
  @HttpCode(204)
  @Auth('required')
  @ApiOperation({ summary: 'Unfollow a user', description: 'Idempotent: unfollowing someone not followed changes nothing.' })
  @ApiNoContentResponse({ description: 'The caller does not follow the user.' })
  @ApiProblems([404, 'No such user.'], 429)
  async unfollow(@Param('username') username: string): Promise<void> {
    await this.upstreams.graph.request('DELETE', path(username, 'follow'));
  }

  @Get(':username/followers')
  @Auth('optional')
  @ApiOperation({ summary: "A user's followers, newest follow first" })
  @ApiOkResponse({ type: UserPage })
  @ApiProblems([400, '`limit` or `cursor` is malformed.'], [404, 'No such user.'])
  async followers(@Param('username') username: string, @Query() query: PageQueryDto): Promise<Page<UserView>> {
    return (await this.upstreams.graph.request<Page<UserView>>('GET', path(username, 'followers'), { query: { ...query } })).body;
  }

  @Get(':username/following')
  @Auth('optional')
  @ApiOperation({ summary: 'The users a user follows, newest follow first' })
  @ApiOkResponse({ type: UserPage })
  @ApiProblems([400, '`limit` or `cursor` is malformed.'], [404, 'No such user.'])
  async following(@Param('username') username: string, @Query() query: PageQueryDto): Promise<Page<UserView>> {
    return (await this.upstreams.graph.request<Page<UserView>>('GET', path(username, 'following'), { query: { ...query } })).body;
  }
}
