/**
 * Kafka topic names. This file is the only place in the code base where a topic
 * name is spelled out; everything else imports these constants.
 */
export const Topics = {
  users: 'users.events.v1',
  graph: 'graph.events.v1',
  posts: 'posts.events.v1',
  comments: 'comments.events.v1',
  // Written by the service that owns the route under test (events.md, "Experiment exposures").
  experiments: 'experiments.exposures.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

/** Consumer groups and the topics each one reads. Group ids are used verbatim. */
export const ConsumerGroups = {
  // users keeps follower/following/post counts for GET /users/me.
  users: [Topics.graph, Topics.posts] as readonly Topic[],
  // graph keeps the public profile read model (profiles and post counts).
  graph: [Topics.users, Topics.posts] as readonly Topic[],
  // posts consumes its own topic too: the feed fan-out runs off post.created.
  posts: [Topics.users, Topics.graph, Topics.comments, Topics.posts] as readonly Topic[],
  comments: [Topics.users, Topics.posts] as readonly Topic[],
  // search keeps full post and user views (likes, comments, follows) so results match the other routes.
  search: [Topics.users, Topics.graph, Topics.posts, Topics.comments] as readonly Topic[],
} as const;

export type ConsumerGroup = keyof typeof ConsumerGroups;

/** Dead-letter topic of one consumer group for one source topic (events.md). */
export function deadLetterTopic(topic: Topic, group: string): string {
  return `${topic}.dlq.${group}`;
}

/** Every dead-letter topic that the groups above may write to. */
export function allDeadLetterTopics(): string[] {
  return Object.entries(ConsumerGroups).flatMap(([group, topics]) =>
    topics.map((topic) => deadLetterTopic(topic, group)),
  );
}

/** Kafka message header names used on every event and dead letter. */
export const EventHeaders = {
  eventType: 'event-type',
  correlationId: 'correlation-id',
  contentType: 'content-type',
  traceParent: 'traceparent',
  dlqError: 'dlq-error',
  dlqOriginalTopic: 'dlq-original-topic',
  dlqOriginalPartition: 'dlq-original-partition',
  dlqOriginalOffset: 'dlq-original-offset',
  dlqAttempts: 'dlq-attempts',
} as const;
