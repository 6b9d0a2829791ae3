import { Controller, Get, Param, Query } from '@nestjs/common';
import { type Page, PageQueryDto, type PostView } from '@app/api';
import { type Caller, CurrentCaller, OptionalAuth } from '@app/platform';
import { PostReader } from '../services/post-reader.service.js';

@Controller('users')
export class UserPostsController {
  constructor(private readonly reader: PostReader) {}

  @OptionalAuth()
  @Get(':username/posts')
  byAuthor(@Param('username') username: string, @Query() query: PageQueryDto, @CurrentCaller() caller: Caller | undefined): Promise<Page<PostView>> {
    return this.reader.byAuthor(username, caller, query.limit, query.cursor);
  }
}
