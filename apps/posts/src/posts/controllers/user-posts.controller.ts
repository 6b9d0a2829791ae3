import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { PageQueryDto } from '@app/api';
import { type Caller, CurrentCaller, OptionalAuth } from '@app/platform';
import { PostPageJson } from '../../post-views/services/post-page-json.js';
import { PostReader } from '../services/post-reader.service.js';

@Controller('users')
export class UserPostsController {
  constructor(
    private readonly reader: PostReader,
    private readonly json: PostPageJson,
  ) {}

  /** A page of the author's posts (`Page<PostView>`), written as JSON bytes by PostPageJson. */
  @OptionalAuth()
  @Get(':username/posts')
  @Header('content-type', 'application/json; charset=utf-8')
  async byAuthor(@Param('username') username: string, @Query() query: PageQueryDto, @CurrentCaller() caller: Caller | undefined): Promise<Buffer> {
    return this.json.page(await this.reader.byAuthor(username, caller, query.limit, query.cursor));
  }
}
