import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type AppLogger, LOGGER, Metrics } from '@app/platform';
import { PostCache } from '../repositories/post.cache.js';
import { PostRepository } from '../repositories/post.repository.js';

/** How long after a failed cache write the next attempt starts. */
const RETRY_MS = 500;
/** Posts (or viewers) repaired per attempt; more wait for the next one. */
const BATCH = 500;
/** Beyond this many waiting repairs, new ones are dropped (and counted): memory stays bounded while Redis is away for long. */
const MAX_PENDING = 50_000;

/**
 * Writers update the post cache right after their commit. When that write
 * fails (a Redis master failing over, slots moving to another master), the
 * cached state would stay as it was until its TTL: a like or a comment that
 * Postgres has would be missing from every read. This keeps retrying the
 * failed writes until Redis takes them: a post's state is read afresh from
 * Postgres on each attempt (the versioned state write never puts back an
 * older one), and a viewer's liked set is dropped, to be rebuilt on the next
 * read.
 */
@Injectable()
export class PostCacheRepair implements OnModuleDestroy {
  private readonly states = new Set<string>();
  private readonly likedSets = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly posts: PostRepository,
    private readonly cache: PostCache,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  /** The cached state of `postId` may be stale: write it again from Postgres until Redis takes it. */
  stateNotWritten(postId: string, error: unknown): void {
    this.logger.warn({ err: error, postId }, 'post cache: state not written; repairing from Postgres');
    this.add(this.states, postId, 'post-state');
  }

  /** The cached liked set of `viewerId` may be stale: drop it until Redis takes the delete. */
  likedNotWritten(viewerId: string, error: unknown): void {
    this.logger.warn({ err: error, viewerId }, 'post cache: liked set not written; dropping it');
    this.add(this.likedSets, viewerId, 'liked-set');
  }

  /** Repairs waiting right now (for tests and the health of the process). */
  get pending(): number {
    return this.states.size + this.likedSets.size;
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private add(pending: Set<string>, id: string, cache: string): void {
    if (this.states.size + this.likedSets.size >= MAX_PENDING) {
      Metrics.cacheRepairs.inc({ cache, outcome: 'dropped' });
      return;
    }
    pending.add(id);
    Metrics.cacheRepairs.inc({ cache, outcome: 'scheduled' });
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => void this.attempt(), RETRY_MS);
    this.timer.unref();
  }

  private async attempt(): Promise<void> {
    this.timer = undefined;
    await Promise.all([this.repairStates(take(this.states)), this.repairLikedSets(take(this.likedSets))]);
    if (this.pending > 0) this.schedule();
  }

  private async repairStates(postIds: string[]): Promise<void> {
    if (postIds.length === 0) return;
    try {
      const rows = await this.posts.rows(postIds);
      await this.cache.writePosts(rows.map(({ content, state }) => ({ id: content.id, content, state })));
      Metrics.cacheRepairs.inc({ cache: 'post-state', outcome: 'repaired' }, postIds.length);
    } catch {
      for (const id of postIds) this.states.add(id);
    }
  }

  private async repairLikedSets(viewerIds: string[]): Promise<void> {
    await Promise.all(
      viewerIds.map((viewerId) =>
        this.cache.forgetLiked(viewerId).then(
          () => Metrics.cacheRepairs.inc({ cache: 'liked-set', outcome: 'repaired' }),
          () => this.likedSets.add(viewerId),
        ),
      ),
    );
  }
}

/** Removes and returns up to BATCH entries of a set. */
function take(pending: Set<string>): string[] {
  const taken: string[] = [];
  for (const id of pending) {
    if (taken.length === BATCH) break;
    taken.push(id);
  }
  for (const id of taken) pending.delete(id);
  return taken;
}
