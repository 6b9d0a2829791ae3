import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What a viewer likes, for the likedByMe of the posts they read (posts.likes is written by LikeRepository). */
@Injectable()
export class ViewerLikesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Which of these posts the user likes (while their liked set is not in Redis). */
  async likedAmong(userId: string, postIds: string[]): Promise<Set<string>> {
    if (postIds.length === 0) return new Set();
    const rows = await this.dataSource.query<{ id: string }[]>('SELECT post_id::text AS id FROM posts.likes WHERE user_id = $1 AND post_id = ANY($2::bigint[])', [
      userId,
      postIds,
    ]);
    return new Set(rows.map((row) => row.id));
  }

  /** Every post the user likes: what their Redis liked set is built from. */
  async likedBy(userId: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>('SELECT post_id::text AS id FROM posts.likes WHERE user_id = $1', [userId]);
    return rows.map((row) => row.id);
  }
}
