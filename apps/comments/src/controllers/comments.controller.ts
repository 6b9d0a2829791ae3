import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CreateCommentDto, type CommentView, type Page, PageQueryDto } from '@app/api';
import { type Caller, CurrentCaller, OptionalAuth, SnowflakeIdPipe } from '@app/platform';
import { CommentService } from '../services/comment.service.js';

@Controller()
export class CommentsController {
  constructor(private readonly comments: CommentService) {}

  @Post('posts/:id/comments')
  @HttpCode(201)
  create(@CurrentCaller() caller: Caller, @Param('id', SnowflakeIdPipe) postId: string, @Body() body: CreateCommentDto): Promise<CommentView> {
    return this.comments.create(caller, postId, body.text);
  }

  @OptionalAuth()
  @Get('posts/:id/comments')
  list(@Param('id', SnowflakeIdPipe) postId: string, @Query() query: PageQueryDto): Promise<Page<CommentView>> {
    return this.comments.list(postId, query.limit, query.cursor);
  }

  @Delete('comments/:id')
  @HttpCode(204)
  delete(@CurrentCaller() caller: Caller, @Param('id', SnowflakeIdPipe) commentId: string): Promise<void> {
    return this.comments.delete(caller, commentId);
  }
}
