import { randomBytes } from 'node:crypto';
import type { Account } from '../../support/accounts.js';

/** One post the API acknowledged (201), with what was done to it afterwards. */
export interface AckedPost {
  id: string;
  author: Account;
  text: string;
  /** Its hashtag, unique to the post: a search for it must find exactly this post. */
  tag: string;
  likedBy: Set<string>;
  /** Likes whose call failed: they may or may not have been applied. */
  maybeLikedBy: Set<string>;
  commentIds: string[];
  maybeComments: number;
}

/**
 * Every write the load made, split into acknowledged ones (the API said it
 * was done: it must never be lost) and uncertain ones (the call failed, so
 * the write may or may not have happened). Counts are checked within
 * [acknowledged, acknowledged + uncertain]: below is a lost write, above is
 * a write applied twice.
 */
export class WriteLedger {
  readonly posts: AckedPost[] = [];
  uncertainPosts = 0;
  private readonly run = randomBytes(3).toString('hex');
  private sequence = 0;

  nextPostText(): { text: string; tag: string } {
    const tag = `c${this.run}x${(this.sequence++).toString(36)}`;
    return { text: `cluster load post #${tag}`, tag };
  }

  acknowledgedPost(id: string, author: Account, text: string, tag: string): void {
    this.posts.push({ id, author, text, tag, likedBy: new Set(), maybeLikedBy: new Set(), commentIds: [], maybeComments: 0 });
  }

  /** A post acknowledged so far, picked at random (undefined before the first one). */
  randomPost(): AckedPost | undefined {
    return this.posts.length === 0 ? undefined : this.posts[Math.floor(Math.random() * this.posts.length)];
  }

  /** Acknowledged writes so far: posts, likes and comments. */
  get acknowledged(): number {
    return this.posts.reduce((sum, post) => sum + 1 + post.likedBy.size + post.commentIds.length, 0);
  }
}
