import { Injectable } from '@nestjs/common';
import { EXPERIMENTS } from '@app/api';
import { BoundedCache, type ReceivedAssignments, UnitOfWork } from '@app/platform';

/**
 * A post recorded as shown to a subject is not recorded again by this
 * process for this long: repeated pages (a refresh, paging back) cost no
 * write. The report's one-hour window therefore starts at most this much
 * before the showing that led to a like (docs/events.md, "Results shown").
 */
export const SHOWN_AGAIN_AFTER_MS = 5 * 60 * 1000;

/**
 * Publishes `experiment.results-shown` (docs/events.md, "Results shown"):
 * which posts a search page returned to a signed-in subject of an
 * experiment, so that the experiment report can tell an outcome on a post
 * the subject was served from one on any other post. Through the outbox,
 * like the exposures: a crash loses nothing acknowledged. Anonymous callers
 * are left out: they can neither like nor comment.
 */
@Injectable()
export class ResultsShownRecorder {
  private readonly recent = new BoundedCache<string, true>({ name: 'experiment_results_shown', maxEntries: 200_000, ttlMs: SHOWN_AGAIN_AFTER_MS });

  constructor(private readonly unitOfWork: UnitOfWork) {}

  /** Records the posts of a page served to `userId` in each known experiment and variant it was assigned. */
  async record(received: ReceivedAssignments, userId: string | undefined, postIds: readonly string[], now: Date = new Date()): Promise<void> {
    if (userId === undefined || postIds.length === 0 || received.variants.size === 0) return;
    const events: { experiment: string; variant: string; postIds: string[] }[] = [];
    for (const [experiment, variant] of received.variants) {
      if (!EXPERIMENTS[experiment]?.includes(variant)) continue;
      const fresh = postIds.filter((postId) => !this.recent.get(`${experiment}\n${userId}\n${postId}`));
      if (fresh.length > 0) events.push({ experiment, variant, postIds: fresh });
    }
    if (events.length === 0) return;
    // The caller never reads these rows back: their next searches may still use the standby.
    await this.unitOfWork.run(
      async (tx) => {
        for (const event of events) {
          await tx.publish({ type: 'experiment.results-shown', key: userId, data: { ...event, userId, shownAt: now.toISOString() } });
        }
      },
      undefined,
      { changesCallerReads: false },
    );
    for (const event of events) {
      for (const postId of event.postIds) this.recent.set(`${event.experiment}\n${userId}\n${postId}`, true);
    }
  }
}
