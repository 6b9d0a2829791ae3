import type { EventData, EventEnvelope } from '@app/contracts';

type Shown = EventData<'experiment.results-shown'>;

/** A user acting on a post: a like or a comment. */
export interface Engagement {
  userId: string;
  postId: string;
  at: Date;
}

/** The engagement an event records, if it is a like or a new comment. */
export function engagementOf(envelope: EventEnvelope): Engagement | undefined {
  if (envelope.type === 'post.liked') {
    const data = envelope.data as EventData<'post.liked'>;
    return { userId: data.userId, postId: data.postId, at: new Date(data.at) };
  }
  if (envelope.type === 'comment.created') {
    const data = envelope.data as EventData<'comment.created'>;
    return { userId: data.authorId, postId: data.postId, at: new Date(data.createdAt) };
  }
  return undefined;
}

/**
 * The outcome of the search experiment (docs/operations.md, "Reading an
 * experiment's report"): a user liked or commented on a post that the search
 * under test returned to them, within `windowMs` after it was returned
 * (`experiment.results-shown`). Engagements with posts the user was not
 * shown, or outside the window, do not count; a later unlike or comment
 * deletion does not undo one. Every showing must be added before the
 * engagements (the report reads the experiments topic first).
 */
export class ReturnedResultsOutcome {
  /** `user\npost` → the times the post was shown to the user, in ms. */
  private readonly shown = new Map<string, number[]>();
  private readonly engaged = new Set<string>();

  constructor(
    private readonly experiment: string,
    private readonly windowMs: number,
    /** Showings before this are not counted. */
    private readonly since?: Date,
  ) {}

  addShown(event: Shown): void {
    const at = Date.parse(event.shownAt);
    if (event.experiment !== this.experiment || (this.since && at < this.since.getTime())) return;
    for (const postId of event.postIds) {
      const key = `${event.userId}\n${postId}`;
      const times = this.shown.get(key);
      if (times) times.push(at);
      else this.shown.set(key, [at]);
    }
  }

  addEngagement(engagement: Engagement): void {
    if (this.engaged.has(engagement.userId)) return;
    const at = engagement.at.getTime();
    const times = this.shown.get(`${engagement.userId}\n${engagement.postId}`);
    if (times?.some((shownAt) => shownAt <= at && at <= shownAt + this.windowMs)) this.engaged.add(engagement.userId);
  }

  /** The users with the outcome (each once, however often they engaged). */
  get users(): ReadonlySet<string> {
    return this.engaged;
  }
}
