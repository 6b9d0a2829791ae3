import type { EventData } from '@app/contracts';

type Exposure = EventData<'experiment.exposed'>;

/**
 * Who was exposed to which variant of one experiment, from its
 * `experiment.exposed` events (docs/events.md, "Experiment exposures").
 * Users are counted once however many days they were exposed; a user seen
 * in two variants (the definitions changed under them) is left out of both.
 * Anonymous subjects are only counted: they cannot like or comment.
 */
export class ExposureTally {
  private readonly variantsOfUser = new Map<string, Set<string>>();
  private readonly anonymous = new Set<string>();

  constructor(
    private readonly experiment: string,
    /** Exposures before this are not counted. */
    private readonly since?: Date,
  ) {}

  add(exposure: Exposure): void {
    if (exposure.experiment !== this.experiment || (this.since && Date.parse(exposure.exposedAt) < this.since.getTime())) return;
    if (exposure.userId === null) {
      if (exposure.anonymousId !== null) this.anonymous.add(exposure.anonymousId);
      return;
    }
    let variants = this.variantsOfUser.get(exposure.userId);
    if (!variants) this.variantsOfUser.set(exposure.userId, (variants = new Set()));
    variants.add(exposure.variant);
  }

  /** Nothing of this experiment was seen at all. */
  get empty(): boolean {
    return this.variantsOfUser.size === 0 && this.anonymous.size === 0;
  }

  get anonymousSubjects(): number {
    return this.anonymous.size;
  }

  /** Users exposed to more than one variant, left out of the figures. */
  get usersInSeveralVariants(): number {
    return [...this.variantsOfUser.values()].filter((variants) => variants.size > 1).length;
  }

  /** The signed-in users of each variant (those of one variant only). */
  usersByVariant(): Map<string, Set<string>> {
    const byVariant = new Map<string, Set<string>>();
    for (const [userId, variants] of this.variantsOfUser) {
      if (variants.size !== 1) continue;
      const [variant] = variants;
      let users = byVariant.get(variant);
      if (!users) byVariant.set(variant, (users = new Set()));
      users.add(userId);
    }
    return byVariant;
  }
}
