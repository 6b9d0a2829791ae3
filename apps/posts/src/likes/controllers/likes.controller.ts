import { Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { type Caller, CurrentCaller, SnowflakeIdPipe } from '@app/platform';
import { LikeService } from '../services/like.service.js';

@Controller('posts')
export class LikesController {
  constructor(private readonly likes: LikeService) {}

  @Post(':id/like')
  @HttpCode(204)
  like(@Param('id', new SnowflakeIdPipe()) id: string, @CurrentCaller() caller: Caller): Promise<void> {
    return this.likes.like(caller, id);
  }

  @Delete(':id/like')
  @HttpCode(204)
  unlike(@Param('id', new SnowflakeIdPipe()) id: string, @CurrentCaller() caller: Caller): Promise<void> {
    return this.likes.unlike(caller, id);
  }
}
