import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PostPage } from '@app/api';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { Auth } from '../docs/auth.decorator.js';
import { ApiPageQuery } from '../docs/params.decorator.js';
import { RawQuery } from '../upstream/raw-query.decorator.js';
import { Upstreams } from '../upstream/upstream.module.js';

/** The caller's home feed (auth). */
@ApiTags('feed')
@Controller('api/v1/feed')
export class FeedController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get()
  @Auth('required')
  @ApiOperation({
    summary: "The caller's home feed, newest first",
    description:
      "The caller's own posts and those of everyone the caller follows, without duplicates or deleted posts. A new post shows within seconds; after a follow the followee's recent posts appear, after an unfollow they leave.",
  })
  @ApiPageQuery()
  @ApiOkResponse({ type: PostPage, description: 'A page of posts.' })
  @ApiProblems([400, '`limit` or `cursor` is malformed.'])
  // The hottest read: the query goes to the posts service (which validates it)
  // and its JSON page comes back as it was sent.
  @Header('content-type', 'application/json; charset=utf-8')
  page(@RawQuery() query: string): Promise<Buffer> {
    return this.upstreams.posts.relay('GET', '/feed', { query });
  }
}
