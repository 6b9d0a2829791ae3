import { Controller, Get, Query, Req } from '@nestjs/common';
import { type Page, type PostView, SearchQueryDto, type UserView } from '@app/api';
import { AssignmentReader, type Caller, CurrentCaller, OptionalAuth } from '@app/platform';
import type { FastifyRequest } from 'fastify';
import { PostSearchService } from '../services/post-search.service.js';
import { UserSearchService } from '../services/user-search.service.js';

@OptionalAuth()
@Controller('search')
export class SearchController {
  constructor(
    private readonly users: UserSearchService,
    private readonly posts: PostSearchService,
    private readonly assignments: AssignmentReader,
  ) {}

  @Get('users')
  searchUsers(@Query() query: SearchQueryDto, @CurrentCaller() caller?: Caller): Promise<Page<UserView>> {
    return this.users.search(query.q, query.limit, query.cursor, caller?.id);
  }

  @Get('posts')
  searchPosts(@Query() query: SearchQueryDto, @Req() request: FastifyRequest, @CurrentCaller() caller?: Caller): Promise<Page<PostView>> {
    return this.posts.search(query.q, query.limit, query.cursor, caller?.id, this.assignments.read(request));
  }
}
