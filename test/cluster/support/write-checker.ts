import type { Account } from '../../support/accounts.js';
import type { EdgeAnswer, EdgeClient } from './edge-client.js';
import type { AckedPost, WriteLedger } from './write-ledger.js';

/** The outcome of checking a ledger once everything has converged (or the deadline passed). */
export interface CheckResult {
  /** Acknowledged writes checked: posts, likes, comments. */
  checked: number;
  /** Acknowledged writes not found: a post unreadable or missing from a follower's feed or from search, a like or comment not counted. */
  lost: number;
  /** Writes applied more than once: counts above acknowledged + uncertain, a post found twice by search. */
  duplicated: number;
  problems: string[];
}

interface PostView {
  id: string;
  text: string;
  likeCount: number;
  commentCount: number;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Checks every acknowledged write of a ledger through the public API: each
 * post readable with its text, its like and comment counts within
 * [acknowledged, acknowledged + uncertain], its acknowledged comments
 * listed, search finding it exactly once by its unique hashtag, and every
 * follower's home feed holding it. Events make all of this eventual, so it
 * checks again until nothing is wrong or `timeoutMs` has passed, and then
 * reports what is still wrong.
 */
export class WriteChecker {
  constructor(
    private readonly client: EdgeClient,
    private readonly followersOf: (author: Account) => readonly Account[],
    private readonly reader: Account,
  ) {}

  async check(ledger: WriteLedger, timeoutMs = 90_000): Promise<CheckResult> {
    const deadline = Date.now() + timeoutMs;
    let result = await this.checkOnce(ledger);
    while ((result.lost > 0 || result.duplicated > 0) && Date.now() < deadline) {
      await new Promise((pause) => setTimeout(pause, 2_000));
      result = await this.checkOnce(ledger);
    }
    return result;
  }

  private async checkOnce(ledger: WriteLedger): Promise<CheckResult> {
    const result: CheckResult = { checked: ledger.acknowledged, lost: 0, duplicated: 0, problems: [] };
    const feeds = new Map<string, Promise<Set<string> | string>>();
    const feedOf = (account: Account) => {
      if (!feeds.has(account.id)) feeds.set(account.id, this.feedIds(account, ledger.posts));
      return feeds.get(account.id)!;
    };
    for (let i = 0; i < ledger.posts.length; i += 8) {
      await Promise.all(ledger.posts.slice(i, i + 8).map((post) => this.checkPost(post, result, feedOf)));
    }
    return result;
  }

  private async checkPost(post: AckedPost, result: CheckResult, feedOf: (account: Account) => Promise<Set<string> | string>): Promise<void> {
    const lost = (count: number, why: string) => {
      result.lost += count;
      result.problems.push(`post ${post.id}: ${why}`);
    };
    const read = await this.client.call<PostView>('GET', `/posts/${post.id}`, { token: this.reader.accessToken });
    if (read.status !== 200 || read.body.text !== post.text) {
      // An unreadable post loses it and everything done to it.
      lost(1 + post.likedBy.size + post.commentIds.length, `read answered ${read.status || read.error}`);
      return;
    }
    this.withinRange('likes', read.body.likeCount, post.likedBy.size, [...post.maybeLikedBy].filter((id) => !post.likedBy.has(id)).length, result, post);
    this.withinRange('comments', read.body.commentCount, post.commentIds.length, post.maybeComments, result, post);

    if (post.commentIds.length > 0) {
      const listed = await this.allIds(`/posts/${post.id}/comments`);
      if (typeof listed === 'string') lost(post.commentIds.length, `comments list: ${listed}`);
      else {
        const missing = post.commentIds.filter((id) => !listed.has(id)).length;
        if (missing > 0) lost(missing, `${missing} acknowledged comment(s) not listed`);
      }
    }

    const found = await this.client.call<Page<{ id: string }>>('GET', `/search/posts?q=${encodeURIComponent(`#${post.tag}`)}`, { token: this.reader.accessToken });
    const hits = found.status === 200 ? found.body.items.filter((item) => item.id === post.id).length : -1;
    if (hits === 0 || hits === -1) lost(1, `search for #${post.tag}: ${hits === 0 ? 'not found' : `answered ${found.status || found.error}`}`);
    if (hits > 1) {
      result.duplicated += hits - 1;
      result.problems.push(`post ${post.id}: search for #${post.tag} found it ${hits} times`);
    }

    for (const follower of this.followersOf(post.author)) {
      const feed = await feedOf(follower);
      if (typeof feed === 'string') lost(1, `feed of ${follower.username}: ${feed}`);
      else if (!feed.has(post.id)) lost(1, `not in the feed of follower ${follower.username}`);
    }
  }

  private withinRange(what: string, count: number, acknowledged: number, uncertain: number, result: CheckResult, post: AckedPost): void {
    if (count < acknowledged) {
      result.lost += acknowledged - count;
      result.problems.push(`post ${post.id}: ${count} ${what} counted, ${acknowledged} acknowledged`);
    } else if (count > acknowledged + uncertain) {
      result.duplicated += count - acknowledged - uncertain;
      result.problems.push(`post ${post.id}: ${count} ${what} counted, at most ${acknowledged + uncertain} made`);
    }
  }

  /** The reader's feed ids down to the oldest post of the ledger (feeds are newest first). */
  private async feedIds(reader: Account, posts: readonly AckedPost[]): Promise<Set<string> | string> {
    const oldest = posts.reduce((min, post) => (BigInt(post.id) < min ? BigInt(post.id) : min), BigInt(posts[0]?.id ?? '0'));
    const ids = new Set<string>();
    let cursor: string | null = null;
    for (let page = 0; page < 40; page++) {
      const answer: EdgeAnswer<Page<{ id: string }>> = await this.client.call<Page<{ id: string }>>('GET', `/feed?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: reader.accessToken });
      if (answer.status !== 200) return `answered ${answer.status || answer.error}`;
      for (const item of answer.body.items) ids.add(item.id);
      cursor = answer.body.nextCursor;
      const last = answer.body.items.at(-1);
      if (!cursor || (last && BigInt(last.id) < oldest)) break;
    }
    return ids;
  }

  private async allIds(path: string): Promise<Set<string> | string> {
    const ids = new Set<string>();
    let cursor: string | null = null;
    for (let page = 0; page < 40; page++) {
      const answer: EdgeAnswer<Page<{ id: string }>> = await this.client.call<Page<{ id: string }>>('GET', `${path}?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: this.reader.accessToken });
      if (answer.status !== 200) return `answered ${answer.status || answer.error}`;
      for (const item of answer.body.items) ids.add(item.id);
      cursor = answer.body.nextCursor;
      if (!cursor) break;
    }
    return ids;
  }
}
