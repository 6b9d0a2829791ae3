import { Controller, Get, Query } from '@nestjs/common';
import { type Page, PageQueryDto, type PostView } from '@app/api';
import { type Caller, CurrentCaller } from '@app/platform';
import { FeedReader } from '../services/feed-reader.service.js';

@Controller('feed')
export class FeedController {
  constructor(private readonly feed: FeedReader) {}

  @Get()
  page(@CurrentCaller() caller: Caller, @Query() query: PageQueryDto): Promise<Page<PostView>> {
    return this.feed.page(caller, query.limit, query.cursor);
  }
}
