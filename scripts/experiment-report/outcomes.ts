import { SearchRanking } from '@app/api';
import { Topics } from '@app/contracts';

/** How the report measures one experiment's outcome. */
export interface OutcomeDefinition {
  /** One line for the report's heading. */
  description: string;
  /** The domain topics its engagements are read from. */
  topics: string[];
  /** The event types on them that can be an engagement (filtered by the `event-type` header). */
  eventTypes: ReadonlySet<string>;
  /** How long after a post was returned an engagement with it counts. */
  windowMs: number;
}

/** The outcome of each experiment the code runs (docs/operations.md, "Reading an experiment's report"). */
export const OUTCOMES: Readonly<Record<string, OutcomeDefinition>> = {
  [SearchRanking.name]: {
    description: 'liked or commented on a post that the search returned to them, within 60 minutes of it being returned',
    topics: [Topics.posts, Topics.comments],
    eventTypes: new Set(['post.liked', 'comment.created']),
    windowMs: 60 * 60 * 1000,
  },
};
