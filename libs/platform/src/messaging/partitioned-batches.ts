import { type Message, Partitioners, type PartitionMetadata, type TopicMessages } from 'kafkajs';

/** The messages of one send call: all for one partition of one topic, so for exactly one leader. */
export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: Message[];
}

// The partitioner kafkajs applies by default (Java-compatible murmur2 of the key), so a
// key lands on the partition it always has.
const defaultPartitioner = Partitioners.DefaultPartitioner();

/**
 * Splits a batch into one batch per topic partition, in the messages' order.
 *
 * Why: kafkajs 2.2.4 (its last release) keeps the answers of a multi-broker
 * send per broker across its retries. When one partition's leader dies during
 * a send and its partitions move to a broker that had already answered for
 * other partitions, the retry skips that broker and the send resolves without
 * ever writing the moved partition's messages (tulios/kafkajs#1798). Seen in
 * the cluster fault test: a relayed `post.created` acknowledged, its outbox
 * row deleted, and the event nowhere in the topic. A send that targets one
 * partition has one leader at a time, so a failed attempt is always retried
 * against the new leader.
 */
export function partitionBatches(topicMessages: readonly TopicMessages[], partitionsOf: (topic: string) => PartitionMetadata[]): PartitionBatch[] {
  const batches = new Map<string, PartitionBatch>();
  for (const { topic, messages } of topicMessages) {
    const partitionMetadata = partitionsOf(topic);
    for (const message of messages) {
      const partition = message.partition ?? defaultPartitioner({ topic, partitionMetadata, message });
      const id = `${topic}\u0000${partition}`;
      let batch = batches.get(id);
      if (!batch) batches.set(id, (batch = { topic, partition, messages: [] }));
      batch.messages.push({ ...message, partition });
    }
  }
  return [...batches.values()];
}
