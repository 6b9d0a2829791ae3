import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CreatePostDto, type Page, PageQueryDto, type PostView } from '@app/api';
import { OptionalAuth, SnowflakeIdPipe } from '@app/platform';
import { Upstreams } from '../upstream/upstream.module.js';

/** Posts, likes and author timelines: validated here, owned (and checked again) by the posts service. */
@Controller('api/v1')
export class PostsController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post('posts')
  @HttpCode(201)
  async create(@Body() body: CreatePostDto): Promise<PostView> {
    return (await this.upstreams.posts.request<PostView>('POST', '/posts', { body })).body;
  }

  @OptionalAuth()
  @Get('posts/:id')
  async get(@Param('id', new SnowflakeIdPipe()) id: string): Promise<PostView> {
    return (await this.upstreams.posts.request<PostView>('GET', `/posts/${id}`)).body;
  }

  @Delete('posts/:id')
  @HttpCode(204)
  async delete(@Param('id', new SnowflakeIdPipe()) id: string): Promise<void> {
    await this.upstreams.posts.request('DELETE', `/posts/${id}`);
  }

  @Post('posts/:id/like')
  @HttpCode(204)
  async like(@Param('id', new SnowflakeIdPipe()) id: string): Promise<void> {
    await this.upstreams.posts.request('POST', `/posts/${id}/like`);
  }

  @Delete('posts/:id/like')
  @HttpCode(204)
  async unlike(@Param('id', new SnowflakeIdPipe()) id: string): Promise<void> {
    await this.upstreams.posts.request('DELETE', `/posts/${id}/like`);
  }

  @OptionalAuth()
  @Get('users/:username/posts')
  async byAuthor(@Param('username') username: string, @Query() query: PageQueryDto): Promise<Page<PostView>> {
    return (await this.upstreams.posts.request<Page<PostView>>('GET', `/users/${encodeURIComponent(username)}/posts`, { query: { ...query } })).body;
  }
}
