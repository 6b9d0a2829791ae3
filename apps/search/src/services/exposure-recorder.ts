import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EXPERIMENTS } from '@app/api';
import { type AppLogger, BoundedCache, LOGGER, Metrics, type ReceivedAssignments, UnitOfWork } from '@app/platform';
import { ExposureRepository } from '../repositories/exposure.repository.js';

const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** Rows are kept a day longer than needed, for callers whose request spans midnight. */
const KEEP_DAYS = 2;

/**
 * Publishes `experiment.exposed` the first time on each UTC day that a
 * subject is served a variant (docs/events.md, "Experiment exposures").
 * Search owns the route under test, so it records the exposure once its
 * answer is ready: the row in search.experiment_exposures and the event in
 * the outbox commit together, and the row's primary key keeps the event
 * single across replicas. An in-process cache of what was recorded spares
 * the database on every later request of the day.
 */
@Injectable()
export class ExposureRecorder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly recorded = new BoundedCache<string, true>({ name: 'experiment_exposures', maxEntries: 100_000 });
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly exposures: ExposureRepository,
    private readonly unitOfWork: UnitOfWork,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  /** Records the caller's exposures to the variants it was served; experiments or variants the code does not know are ignored. */
  async record(received: ReceivedAssignments, userId: string | undefined, now: Date = new Date()): Promise<void> {
    if (received.variants.size === 0) return;
    const subject = userId !== undefined ? { userId, anonymousId: null } : received.anonymousId !== undefined ? { userId: null, anonymousId: received.anonymousId } : undefined;
    if (!subject) return;
    const subjectKey = subject.userId !== null ? `user:${subject.userId}` : `anonymous:${subject.anonymousId}`;
    const day = now.toISOString().slice(0, 10);
    for (const [experiment, variant] of received.variants) {
      if (!EXPERIMENTS[experiment]?.includes(variant)) continue;
      const key = `${experiment}\n${subjectKey}\n${day}\n${variant}`;
      if (this.recorded.get(key)) continue;
      // Bookkeeping the caller never reads back: their next searches may still use the standby.
      const first = await this.unitOfWork.run(async (tx) => {
        const inserted = await this.exposures.insertFirst(tx.manager, { experiment, subject: subjectKey, day, variant, exposedAt: now });
        if (inserted) {
          await tx.publish({
            type: 'experiment.exposed',
            key: subject.userId ?? subject.anonymousId,
            data: { experiment, variant, ...subject, day, exposedAt: now.toISOString() },
          });
        }
        return inserted;
      }, undefined, { changesCallerReads: false });
      this.recorded.set(key, true);
      if (first) Metrics.experimentExposures.inc({ experiment, variant });
    }
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async prune(): Promise<void> {
    const before = new Date(Date.now() - KEEP_DAYS * 86_400_000).toISOString().slice(0, 10);
    await this.exposures.pruneBefore(before).catch((error: unknown) => this.logger.warn({ err: error }, 'experiments: pruning exposures failed'));
  }
}
