import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CreatePostDto, type PostView } from '@app/api';
import { type Caller, CurrentCaller, OptionalAuth, SnowflakeIdPipe } from '@app/platform';
import { PostReader } from '../services/post-reader.service.js';
import { PostWriter } from '../services/post-writer.service.js';

@Controller('posts')
export class PostsController {
  constructor(
    private readonly writer: PostWriter,
    private readonly reader: PostReader,
  ) {}

  @Post()
  @HttpCode(201)
  create(@CurrentCaller() caller: Caller, @Body() body: CreatePostDto): Promise<PostView> {
    return this.writer.create(caller, body.text);
  }

  @OptionalAuth()
  @Get(':id')
  get(@Param('id', new SnowflakeIdPipe()) id: string, @CurrentCaller() caller: Caller | undefined): Promise<PostView> {
    return this.reader.get(id, caller);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Param('id', new SnowflakeIdPipe()) id: string, @CurrentCaller() caller: Caller): Promise<void> {
    return this.writer.delete(caller, id);
  }
}
