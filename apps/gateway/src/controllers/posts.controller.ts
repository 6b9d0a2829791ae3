import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreatePostDto, PostPage, PostView } from '@app/api';
import { SnowflakeIdPipe } from '@app/platform';
import { ApiJsonBodyProblems, ApiProblems } from '../docs/api-problems.decorator.js';
import { Auth } from '../docs/auth.decorator.js';
import { ApiIdParam, ApiPageQuery, ApiUsernameParam } from '../docs/params.decorator.js';
import { RawQuery } from '../upstream/raw-query.decorator.js';
import { Upstreams } from '../upstream/upstream.module.js';

const MALFORMED_ID: [400, string] = [400, '`id` is not a decimal id.'];
const NO_POST: [404, string] = [404, 'No such post, or it was deleted.'];

/** Posts, likes and author timelines: validated here, owned (and checked again) by the posts service. */
@ApiTags('posts')
@Controller('api/v1')
export class PostsController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post('posts')
  @HttpCode(201)
  @Auth('required')
  @ApiOperation({ summary: 'Publish a post', description: 'Hashtags and mentions are picked out of the text. The post reaches the feeds of the followers within seconds.' })
  @ApiCreatedResponse({ type: PostView, description: 'The new post.' })
  @ApiJsonBodyProblems()
  @ApiProblems(429)
  async create(@Body() body: CreatePostDto): Promise<PostView> {
    return (await this.upstreams.posts.request<PostView>('POST', '/posts', { body })).body;
  }

  @Get('posts/:id')
  @Auth('optional')
  @ApiOperation({ summary: 'A post by id' })
  @ApiIdParam('Id of the post.')
  @ApiOkResponse({ type: PostView, description: 'The post; `likedByMe` tells whether the caller likes it.' })
  @ApiProblems(MALFORMED_ID, NO_POST)
  async get(@Param('id', SnowflakeIdPipe) id: string): Promise<PostView> {
    return (await this.upstreams.posts.request<PostView>('GET', `/posts/${id}`)).body;
  }

  @Delete('posts/:id')
  @HttpCode(204)
  @Auth('required')
  @ApiOperation({ summary: "Delete one of the caller's posts", description: 'Its comments go with it; it leaves every feed, list and search result.' })
  @ApiIdParam('Id of the post.')
  @ApiNoContentResponse({ description: 'The post is deleted.' })
  @ApiProblems(MALFORMED_ID, [403, 'The caller is not the author of the post.'], NO_POST, 429)
  async delete(@Param('id', SnowflakeIdPipe) id: string): Promise<void> {
    await this.upstreams.posts.request('DELETE', `/posts/${id}`);
  }

  @Post('posts/:id/like')
  @HttpCode(204)
  @Auth('required')
  @ApiOperation({ summary: 'Like a post', description: 'Idempotent: liking a post the caller already likes changes nothing.' })
  @ApiIdParam('Id of the post.')
  @ApiNoContentResponse({ description: 'The caller likes the post.' })
  @ApiProblems(MALFORMED_ID, NO_POST, 429)
  async like(@Param('id', SnowflakeIdPipe) id: string): Promise<void> {
    await this.upstreams.posts.request('POST', `/posts/${id}/like`);
  }

  @Delete('posts/:id/like')
  @HttpCode(204)
  @Auth('required')
  @ApiOperation({ summary: 'Take back a like', description: 'Idempotent: unliking a post the caller does not like changes nothing.' })
  @ApiIdParam('Id of the post.')
  @ApiNoContentResponse({ description: 'The caller does not like the post.' })
  @ApiProblems(MALFORMED_ID, NO_POST, 429)
  async unlike(@Param('id', SnowflakeIdPipe) id: string): Promise<void> {
    await this.upstreams.posts.request('DELETE', `/posts/${id}/like`);
  }

  @Get('users/:username/posts')
  @Auth('optional')
  @ApiOperation({ summary: "A user's posts, newest first" })
  @ApiUsernameParam()
  @ApiPageQuery()
  @ApiOkResponse({ type: PostPage, description: 'A page of posts.' })
  @ApiProblems([400, '`limit` or `cursor` is malformed.'], [404, 'No such user.'])
  // A hot read (30 % of the benchmark mix): the query is validated by the posts
  // service, and the page is sent on as it came.
  @Header('content-type', 'application/json; charset=utf-8')
  byAuthor(@Param('username') username: string, @RawQuery() query: string): Promise<Buffer> {
    return this.upstreams.posts.relay('GET', `/users/${encodeURIComponent(username)}/posts`, { query });
  }
}
