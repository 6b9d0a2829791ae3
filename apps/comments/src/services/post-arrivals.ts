import { snowflakeTime } from '@app/platform';

/**
 * Could a post with this id still be on its way to the projection? Its
 * Snowflake id carries its creation time: an id made within `maxAgeMs` of now
 * (either side, for clock skew between hosts) may be; an older one is not.
 */
export function mayBeInFlight(postId: string, nowMs: number, maxAgeMs: number): boolean {
  return Math.abs(nowMs - snowflakeTime(postId).getTime()) < maxAgeMs;
}

/** A reserved place among the bounded waiters; give it back with release(). */
export interface WaitSlot {
  /** Resolves when the post's event has been applied here, or after `ms`, whichever comes first. */
  wake(postId: string, ms: number): Promise<void>;
  release(): void;
}

/**
 * In-process rendezvous between requests waiting for a post and the consumer
 * that records it: the consumer calls `applied(postId)` once its transaction
 * has committed, and every request waiting for that id wakes up to look again.
 * At most `capacity` requests wait at once. Waiting holds no database
 * connection, only a timer.
 */
export class PostArrivals {
  private readonly wakers = new Map<string, Set<() => void>>();
  private waiting = 0;

  constructor(private readonly capacity: number) {}

  /** A waiting place, or undefined when all are taken. */
  reserve(): WaitSlot | undefined {
    if (this.waiting >= this.capacity) return undefined;
    this.waiting++;
    let released = false;
    return {
      wake: (postId, ms) => this.sleep(postId, ms),
      release: () => {
        if (released) return;
        released = true;
        this.waiting--;
      },
    };
  }

  /** The post's event is applied (committed): wake everyone waiting for it. */
  applied(postId: string): void {
    const wakers = this.wakers.get(postId);
    if (!wakers) return;
    this.wakers.delete(postId);
    for (const wake of wakers) wake();
  }

  /** Requests waiting right now (for tests and metrics). */
  get size(): number {
    return this.waiting;
  }

  private sleep(postId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let wakers = this.wakers.get(postId);
      if (!wakers) this.wakers.set(postId, (wakers = new Set()));
      const wake = () => {
        clearTimeout(timer);
        const current = this.wakers.get(postId);
        current?.delete(wake);
        if (current?.size === 0) this.wakers.delete(postId);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      wakers.add(wake);
    });
  }
}
