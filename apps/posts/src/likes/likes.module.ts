import { Module } from '@nestjs/common';
import { PostViewsModule } from '../post-views/post-views.module.js';
import { LikesController } from './controllers/likes.controller.js';
import { LikeRepository } from './repositories/like.repository.js';
import { LikeService } from './services/like.service.js';

/** Liking and unliking posts (`/posts/{id}/like`); the post cache learns of each change before the answer. */
@Module({
  imports: [PostViewsModule],
  controllers: [LikesController],
  providers: [LikeRepository, LikeService],
})
export class LikesModule {}
