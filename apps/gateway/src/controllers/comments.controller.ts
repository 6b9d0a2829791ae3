import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CreateCommentDto, type CommentView, type Page, PageQueryDto } from '@app/api';
import { OptionalAuth, SnowflakeIdPipe } from '@app/platform';
import { Upstreams } from '../upstream/upstream.module.js';

@Controller('api/v1')
export class CommentsController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post('posts/:id/comments')
  @HttpCode(201)
  async create(@Param('id', SnowflakeIdPipe) postId: string, @Body() body: CreateCommentDto): Promise<CommentView> {
    return (await this.upstreams.comments.request<CommentView>('POST', `/posts/${postId}/comments`, { body })).body;
  }

  @OptionalAuth()
  @Get('posts/:id/comments')
  async list(@Param('id', SnowflakeIdPipe) postId: string, @Query() query: PageQueryDto): Promise<Page<CommentView>> {
    return (await this.upstreams.comments.request<Page<CommentView>>('GET', `/posts/${postId}/comments`, { query: { ...query } })).body;
  }

  @Delete('comments/:id')
  @HttpCode(204)
  async delete(@Param('id', SnowflakeIdPipe) commentId: string): Promise<void> {
    await this.upstreams.comments.request('DELETE', `/comments/${commentId}`);
  }
}
