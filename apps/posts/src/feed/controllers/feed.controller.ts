import { Controller, Get, Header, Query } from '@nestjs/common';
import { PageQueryDto } from '@app/api';
import { type Caller, CurrentCaller } from '@app/platform';
import { PostPageJson } from '../../post-views/services/post-page-json.js';
import { FeedReader } from '../services/feed-reader.service.js';

@Controller('feed')
export class FeedController {
  constructor(
    private readonly feed: FeedReader,
    private readonly json: PostPageJson,
  ) {}

  /** A page of posts (`Page<PostView>`), written as JSON bytes by PostPageJson. */
  @Get()
  @Header('content-type', 'application/json; charset=utf-8')
  async page(@CurrentCaller() caller: Caller, @Query() query: PageQueryDto): Promise<Buffer> {
    return this.json.page(await this.feed.page(caller, query.limit, query.cursor));
  }
}
