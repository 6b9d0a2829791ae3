import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Page, PostPage, type PostView, SearchQueryDto, SearchRanking, UserPage, type UserView } from '@app/api';
import { type Caller, CurrentCaller } from '@app/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { Auth } from '../docs/auth.decorator.js';
import { ExperimentAssigner } from '../experiments/experiment-assigner.js';
import { Upstreams } from '../upstream/upstream.module.js';

/** The experiments that run on GET /search/posts (docs/api.md, "Experiments"). */
const POST_SEARCH_EXPERIMENTS = [SearchRanking.name];

@ApiTags('search')
@Controller('api/v1/search')
export class SearchController {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly experiments: ExperimentAssigner,
  ) {}

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
    summary: 'Posts containing every word of q; newest first, or by relevance and recency in the search-ranking experiment',
    description:
      'Words of any language match (Cyrillic included), word forms where the language allows; a `#tag` term matches that hashtag exactly. ' +
      'The order depends on the caller\'s variant of the `search-ranking` experiment: ' +
      '`control`, and callers outside the experiment, get the newest posts first; `treatment` gets text relevance ' +
      '(PostgreSQL `ts_rank_cd`) times a recency decay `1 / (1 + age / 24 h)`, best first, ties newest first, with the age ' +
      'measured from when the first page was asked for. Both orders return the same posts, and a cursor keeps the order ' +
      'and the time of the page it came from. A signed-in caller is assigned by account; an anonymous one by `X-Client-Id` ' +
      'when it sends one, else by its address and User-Agent.',
  })
  @ApiHeader({
    name: 'X-Client-Id',
    required: false,
    description: 'Anonymous callers: a stable id of this installation (16 to 128 of `A-Z a-z 0-9 . _ : -`), so that its experiment variants stay the same while its address changes. Sent hashed to the services only.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{16,128}$' },
  })
  @ApiOkResponse({
    type: PostPage,
    description: 'A page of posts.',
    headers: {
      'X-Warble-Experiments': {
        description: 'The caller\'s variant of each experiment of this route it takes part in, e.g. `search-ranking=treatment`. Absent: the caller is in none (newest first).',
        schema: { type: 'string', example: 'search-ranking=treatment' },
      },
    },
  })
  @ApiProblems([400, '`q` is missing, blank or longer than 200 characters, or `limit` or `cursor` is malformed.'])
  async posts(
    @Query() query: SearchQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentCaller() caller?: Caller,
  ): Promise<Page<PostView>> {
    const headers = this.experiments.forRoute(POST_SEARCH_EXPERIMENTS, request, reply, caller?.id);
    return (await this.upstreams.search.request<Page<PostView>>('GET', '/search/posts', { query: { ...query }, headers })).body;
  }
}
