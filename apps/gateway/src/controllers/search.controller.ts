import { Controller, Get, Query } from '@nestjs/common';
import { type Page, SearchQueryDto, type UserView } from '@app/api';
import { OptionalAuth } from '@app/platform';
import { Upstreams } from '../upstream/upstream.module.js';

@OptionalAuth()
@Controller('api/v1/search')
export class SearchController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get('users')
  async users(@Query() query: SearchQueryDto): Promise<Page<UserView>> {
    return (await this.upstreams.search.request<Page<UserView>>('GET', '/search/users', { query: { ...query } })).body;
  }
}
