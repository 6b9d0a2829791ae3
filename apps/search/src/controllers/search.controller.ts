import { Controller, Get, Query } from '@nestjs/common';
import { type Page, SearchQueryDto, type UserView } from '@app/api';
import { OptionalAuth } from '@app/platform';
import { UserSearchService } from '../services/user-search.service.js';

@OptionalAuth()
@Controller('search')
export class SearchController {
  constructor(private readonly users: UserSearchService) {}

  @Get('users')
  searchUsers(@Query() query: SearchQueryDto): Promise<Page<UserView>> {
    return this.users.search(query.q, query.limit, query.cursor);
  }
}
