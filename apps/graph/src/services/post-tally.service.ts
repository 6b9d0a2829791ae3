import { Injectable } from '@nestjs/common';
import type { EventData } from '@app/contracts';
import { CountedPosts } from '@app/domain';
import type { EntityManager } from 'typeorm';
import { ProfileRepository } from '../repositories/profile.repository.js';

/** Keeps each author's posts_count from post.created / post.deleted, exactly once per post. */
@Injectable()
export class PostTallyService {
  constructor(
    private readonly countedPosts: CountedPosts,
    private readonly profiles: ProfileRepository,
  ) {}

  async created(manager: EntityManager, data: EventData<'post.created'>): Promise<void> {
    if (await this.countedPosts.markCreated(manager, data.postId, data.authorId)) await this.profiles.addPosts(manager, data.authorId, 1);
  }

  async deleted(manager: EntityManager, data: EventData<'post.deleted'>): Promise<void> {
    const authorId = await this.countedPosts.markDeleted(manager, data.postId, data.authorId);
    if (authorId) await this.profiles.addPosts(manager, authorId, -1);
  }
}
