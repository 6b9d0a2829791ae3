import { Injectable } from '@nestjs/common';
import type { EventData } from '@app/contracts';
import { CountedPosts } from '@app/domain';
import type { EntityManager } from 'typeorm';
import { UserStatsRepository } from '../repositories/user-stats.repository.js';

/**
 * Applies graph and posts events to the counts of GET/PATCH /users/me. Graph
 * emits a follow event only for a real change, so follow deltas are exact;
 * posts are guarded by counted_posts.
 */
@Injectable()
export class UserStatsService {
  constructor(
    private readonly stats: UserStatsRepository,
    private readonly countedPosts: CountedPosts,
  ) {}

  async followed(manager: EntityManager, data: EventData<'user.followed'>): Promise<void> {
    await this.stats.addFollow(manager, data.followerId, data.followeeId, 1);
  }

  async unfollowed(manager: EntityManager, data: EventData<'user.unfollowed'>): Promise<void> {
    await this.stats.addFollow(manager, data.followerId, data.followeeId, -1);
  }

  async postCreated(manager: EntityManager, data: EventData<'post.created'>): Promise<void> {
    if (await this.countedPosts.markCreated(manager, data.postId, data.authorId)) await this.stats.addPosts(manager, data.authorId, 1);
  }

  async postDeleted(manager: EntityManager, data: EventData<'post.deleted'>): Promise<void> {
    const authorId = await this.countedPosts.markDeleted(manager, data.postId, data.authorId);
    if (authorId) await this.stats.addPosts(manager, authorId, -1);
  }
}
