import { Controller, Get, Query } from '@nestjs/common';
import { type Page, PageQueryDto, type PostView } from '@app/api';
import { Upstreams } from '../upstream/upstream.module.js';

/** The caller's home feed (auth). */
@Controller('api/v1/feed')
export class FeedController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get()
  async page(@Query() query: PageQueryDto): Promise<Page<PostView>> {
    return (await this.upstreams.posts.request<Page<PostView>>('GET', '/feed', { query: { ...query } })).body;
  }
}
