import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Page, PostPage, type PostView, SearchQueryDto, UserPage, type UserView } from '@app/api';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { Auth } from '../docs/auth.decorator.js';
import { Upstreams } from '../upstream/upstream.module.js';

@ApiTags('search')
@Controller('api/v1/search')
export class SearchController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get('users')
  @Auth('optional')
  @ApiOperation({ summary: 'Users whose username or display name starts with or resembles q, best match first' })
  @ApiOkResponse({ type: UserPage, description: 'A page of users.' })
  @ApiProblems([400, '`q` is missing, blank or longer than 200 characters, or `limit` or `cursor` is malformed.'])
  async users(@Query() query: SearchQueryDto): Promise<Page<UserView>> {
    return (await this.upstreams.search.request<Page<UserView>>('GET', '/search/users', { query: { ...query } })).body;
  }

  @Get('posts')
  @Auth('optional')
  @ApiOperation({
    summary: 'Posts containing every word of q, newest first',
    description: 'Words of any language match (Cyrillic included), word forms where the language allows; a `#tag` term matches that hashtag exactly.',
  })
  @ApiOkResponse({ type: PostPage, description: 'A page of posts.' })
  @ApiProblems([400, '`q` is missing, blank or longer than 200 characters, or `limit` or `cursor` is malformed.'])
  async posts(@Query() query: SearchQueryDto): Promise<Page<PostView>> {
    return (await this.upstreams.search.request<Page<PostView>>('GET', '/search/posts', { query: { ...query } })).body;
  }
}
