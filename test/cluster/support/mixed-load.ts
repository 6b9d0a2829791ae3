import type { Account } from '../../support/accounts.js';
import type { EdgeAnswer, EdgeClient } from './edge-client.js';
import type { WriteLedger } from './write-ledger.js';

/** How many requests a load made and which of them failed, by kind. */
export class RequestTally {
  total = 0;
  failed = 0;
  /** "POST /posts 502" or "GET /feed UND_ERR_SOCKET" → count. */
  readonly failures = new Map<string, number>();
  /** "GET /posts/{id}" → requests of that kind, failed or not. */
  readonly requests = new Map<string, number>();

  record(kind: string, answer: EdgeAnswer<unknown>, expected: number): boolean {
    this.total++;
    this.requests.set(kind, (this.requests.get(kind) ?? 0) + 1);
    if (answer.status === expected) return true;
    this.failed++;
    const reason = answer.status === 0 ? (answer.error ?? 'no answer').split(':')[0] : String(answer.status);
    const key = `${kind} ${reason}`;
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
    return false;
  }

  get failedShare(): number {
    return this.total === 0 ? 0 : this.failed / this.total;
  }

  /** Failed requests of one kind, whatever the reason. */
  failuresOf(kind: string): number {
    let count = 0;
    for (const [key, n] of this.failures) if (key.startsWith(`${kind} `)) count += n;
    return count;
  }

  describeFailures(): string {
    return [...this.failures].map(([key, count]) => `${key} ×${count}`).join(', ') || 'none';
  }
}

type Step = (client: EdgeClient, actor: Account, tally: RequestTally) => Promise<void>;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

/**
 * A mixed read/write load through the edge, as many users would make it:
 * `workers` loops, each choosing a weighted step per iteration (about two
 * thirds reads: feeds, posts, timelines, comments, profiles, search; one
 * third writes: posts, likes, comments) and pausing `pauseMs` between
 * calls, so the machine stays below saturation and a failure means a fault,
 * not an overload. Every write goes into the ledger.
 */
export class MixedLoad {
  private running = false;
  private loops: Promise<void>[] = [];
  readonly tally = new RequestTally();
  private readonly steps: [number, Step][];

  constructor(
    private readonly client: EdgeClient,
    private readonly accounts: readonly Account[],
    private readonly ledger: WriteLedger,
    private readonly options: { workers?: number; pauseMs?: number } = {},
  ) {
    this.steps = [
      [25, (c, actor, t) => this.get(c, t, 'GET /feed', '/feed', actor)],
      [12, (c, actor, t) => this.withPost(c, actor, t, (post) => this.get(c, t, 'GET /posts/{id}', `/posts/${post.id}`, actor))],
      [8, (c, actor, t) => this.get(c, t, 'GET /users/{u}/posts', `/users/${pick(this.accounts).username}/posts`, actor)],
      [5, (c, actor, t) => this.get(c, t, 'GET /users/{u}', `/users/${pick(this.accounts).username}`, actor)],
      [5, (c, actor, t) => this.withPost(c, actor, t, (post) => this.get(c, t, 'GET /posts/{id}/comments', `/posts/${post.id}/comments`, actor))],
      [5, (c, actor, t) => this.withPost(c, actor, t, (post) => this.get(c, t, 'GET /search/posts', `/search/posts?q=${encodeURIComponent(`#${post.tag}`)}`, actor))],
      [15, (c, actor, t) => this.post(c, actor, t)],
      [15, (c, actor, t) => this.like(c, actor, t)],
      [10, (c, actor, t) => this.comment(c, actor, t)],
    ];
  }

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.options.workers ?? 6 }, () => this.loop());
  }

  /** Stops the load after the calls in flight; resolves with the tally. */
  async stop(): Promise<RequestTally> {
    this.running = false;
    await Promise.all(this.loops);
    return this.tally;
  }

  private async loop(): Promise<void> {
    const totalWeight = this.steps.reduce((sum, [weight]) => sum + weight, 0);
    while (this.running) {
      let roll = Math.random() * totalWeight;
      const [, step] = this.steps.find(([weight]) => (roll -= weight) < 0) ?? this.steps[0];
      await step(this.client, pick(this.accounts), this.tally);
      await new Promise((pause) => setTimeout(pause, this.options.pauseMs ?? 40));
    }
  }

  private async get(client: EdgeClient, tally: RequestTally, kind: string, path: string, actor: Account): Promise<void> {
    tally.record(kind, await client.call('GET', path, { token: actor.accessToken }), 200);
  }

  /** Runs `step` on a random acknowledged post, or writes a post while there is none yet. */
  private withPost(client: EdgeClient, actor: Account, tally: RequestTally, step: (post: NonNullable<ReturnType<WriteLedger['randomPost']>>) => Promise<void>): Promise<void> {
    const post = this.ledger.randomPost();
    return post ? step(post) : this.post(client, actor, tally);
  }

  private async post(client: EdgeClient, author: Account, tally: RequestTally): Promise<void> {
    const { text, tag } = this.ledger.nextPostText();
    const answer = await client.call<{ id: string }>('POST', '/posts', { token: author.accessToken, body: { text } });
    if (tally.record('POST /posts', answer, 201)) this.ledger.acknowledgedPost(answer.body.id, author, text, tag);
    else this.ledger.uncertainPosts++;
  }

  private like(client: EdgeClient, actor: Account, tally: RequestTally): Promise<void> {
    return this.withPost(client, actor, tally, async (post) => {
      // Each account likes a post at most once, so the count to expect is exact.
      const liker = this.accounts.find((account) => !post.likedBy.has(account.id) && !post.maybeLikedBy.has(account.id));
      if (!liker) return this.post(client, actor, tally);
      const answer = await client.call('POST', `/posts/${post.id}/like`, { token: liker.accessToken });
      if (tally.record('POST /posts/{id}/like', answer, 204)) post.likedBy.add(liker.id);
      else post.maybeLikedBy.add(liker.id);
    });
  }

  private comment(client: EdgeClient, actor: Account, tally: RequestTally): Promise<void> {
    return this.withPost(client, actor, tally, async (post) => {
      const answer = await client.call<{ id: string }>('POST', `/posts/${post.id}/comments`, { token: actor.accessToken, body: { text: `a comment under load on ${post.tag}` } });
      if (tally.record('POST /posts/{id}/comments', answer, 201)) post.commentIds.push(answer.body.id);
      else post.maybeComments++;
    });
  }
}
