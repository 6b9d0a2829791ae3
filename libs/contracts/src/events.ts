import { z } from 'zod';
import * as P from './payloads.js';
import { Topics, type Topic } from './topics.js';

/**
 * The one typed map of the event contract: event type → topic and payload
 * schema. Producing an event with the wrong payload is a compile error, and
 * consumers validate the same schema at run time.
 */
export const EventCatalog = {
  'user.registered': { topic: Topics.users, version: 1, schema: P.UserRegistered },
  'user.updated': { topic: Topics.users, version: 1, schema: P.UserUpdated },
  'user.followed': { topic: Topics.graph, version: 1, schema: P.FollowChanged },
  'user.unfollowed': { topic: Topics.graph, version: 1, schema: P.FollowChanged },
  'post.created': { topic: Topics.posts, version: 1, schema: P.PostCreated },
  'post.deleted': { topic: Topics.posts, version: 1, schema: P.PostDeleted },
  'post.liked': { topic: Topics.posts, version: 1, schema: P.PostLikeChanged },
  'post.unliked': { topic: Topics.posts, version: 1, schema: P.PostLikeChanged },
  'comment.created': { topic: Topics.comments, version: 1, schema: P.CommentCreated },
  'comment.deleted': { topic: Topics.comments, version: 1, schema: P.CommentDeleted },
  'experiment.exposed': { topic: Topics.experiments, version: 1, schema: P.ExperimentExposed },
  'experiment.results-shown': { topic: Topics.experiments, version: 1, schema: P.ExperimentResultsShown },
} as const satisfies Record<string, { topic: Topic; version: number; schema: z.ZodType }>;

export type EventType = keyof typeof EventCatalog;
export type EventData<T extends EventType> = z.infer<(typeof EventCatalog)[T]['schema']>;

/** Event types published on one topic. */
export type EventTypeOf<TTopic extends Topic> = {
  [K in EventType]: (typeof EventCatalog)[K]['topic'] extends TTopic ? K : never;
}[EventType];

export const PRODUCERS = ['users', 'graph', 'posts', 'comments', 'search'] as const;
export type Producer = (typeof PRODUCERS)[number];

/** The envelope every message value carries (events.md, "Message"). */
export interface EventEnvelope<T extends EventType = EventType> {
  id: string;
  type: T;
  version: number;
  occurredAt: string;
  producer: Producer;
  aggregateId: string;
  data: EventData<T>;
}

const EnvelopeShape = z.looseObject({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  producer: z.string().min(1),
  aggregateId: z.string().min(1),
  data: z.unknown(),
});

export type EnvelopeParseResult =
  | { ok: true; known: true; envelope: EventEnvelope }
  | { ok: true; known: false; type: string; id: string }
  | { ok: false; error: string };

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * Validates a decoded message value. Unknown event types are reported as
 * `known: false` so that consumers can skip them (forward compatibility);
 * a known type with a bad payload is an error (a poison message).
 */
export function parseEnvelope(value: unknown): EnvelopeParseResult {
  const shape = EnvelopeShape.safeParse(value);
  if (!shape.success) return { ok: false, error: `envelope ${describe(shape.error)}` };
  const type = shape.data.type;
  if (!(type in EventCatalog)) return { ok: true, known: false, type, id: shape.data.id };
  const entry = EventCatalog[type as EventType];
  const data = entry.schema.safeParse(shape.data.data);
  if (!data.success) return { ok: false, error: `data of ${type}: ${describe(data.error)}` };
  return {
    ok: true,
    known: true,
    envelope: { ...shape.data, type: type as EventType, producer: shape.data.producer as Producer, data: data.data },
  };
}

/** Builds a new envelope; `id` and `occurredAt` are supplied by the caller for testability. */
export function buildEnvelope<T extends EventType>(args: {
  id: string;
  type: T;
  producer: Producer;
  aggregateId: string;
  data: EventData<T>;
  occurredAt: Date;
}): EventEnvelope<T> {
  return {
    id: args.id,
    type: args.type,
    version: EventCatalog[args.type].version,
    occurredAt: args.occurredAt.toISOString(),
    producer: args.producer,
    aggregateId: args.aggregateId,
    data: args.data,
  };
}

export function topicOf(type: EventType): Topic {
  return EventCatalog[type].topic;
}
