import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommentPage, CommentView, CreateCommentDto, type Page, PageQueryDto } from '@app/api';
import { SnowflakeIdPipe } from '@app/platform';
import { ApiJsonBodyProblems, ApiProblems } from '../docs/api-problems.decorator.js';
import { Auth } from '../docs/auth.decorator.js';
import { ApiIdParam } from '../docs/params.decorator.js';
import { Upstreams } from '../upstream/upstream.module.js';

const MALFORMED_ID: [400, string] = [400, '`id` is not a decimal id.'];
const NO_POST: [404, string] = [404, 'No such post, or it was deleted.'];

/** Comments on posts, owned by the comments service. */
@ApiTags('comments')
@Controller('api/v1')
export class CommentsController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post('posts/:id/comments')
  @HttpCode(201)
  @Auth('required')
  @ApiOperation({ summary: 'Comment on a post', description: "The post's `commentCount` follows within seconds." })
  @ApiIdParam('Id of the post.')
  @ApiCreatedResponse({ type: CommentView, description: 'The new comment.' })
  @ApiJsonBodyProblems()
  @ApiProblems(NO_POST, 429)
  async create(@Param('id', SnowflakeIdPipe) postId: string, @Body() body: CreateCommentDto): Promise<CommentView> {
    return (await this.upstreams.comments.request<CommentView>('POST', `/posts/${postId}/comments`, { body })).body;
  }

  @Get('posts/:id/comments')
  @Auth('optional')
  @ApiOperation({ summary: "A post's comments, oldest first" })
  @ApiIdParam('Id of the post.')
  @ApiOkResponse({ type: CommentPage, description: 'A page of comments.' })
  @ApiProblems([400, '`id` is not a decimal id, or `limit` or `cursor` is malformed.'], NO_POST)
  async list(@Param('id', SnowflakeIdPipe) postId: string, @Query() query: PageQueryDto): Promise<Page<CommentView>> {
    return (await this.upstreams.comments.request<Page<CommentView>>('GET', `/posts/${postId}/comments`, { query: { ...query } })).body;
  }

  @Delete('comments/:id')
  @HttpCode(204)
  @Auth('required')
  @ApiOperation({ summary: 'Delete a comment', description: 'The author of the comment and the author of the post may delete it.' })
  @ApiIdParam('Id of the comment.')
  @ApiNoContentResponse({ description: 'The comment is deleted.' })
  @ApiProblems(MALFORMED_ID, [403, 'The caller wrote neither the comment nor the post.'], [404, 'No such comment.'], 429)
  async delete(@Param('id', SnowflakeIdPipe) commentId: string): Promise<void> {
    await this.upstreams.comments.request('DELETE', `/comments/${commentId}`);
  }
}
