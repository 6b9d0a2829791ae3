import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { partitionBatches } from './partitioned-batches.js';

const partitions = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: partitionId % 3, replicas: [0, 1, 2], isr: [0, 1, 2], partitionErrorCode: 0, offlineReplicas: [] }));

describe('partitionBatches', () => {
  const metadata: Record<string, PartitionMetadata[]> = { 'posts.events.v1': partitions(6), 'graph.events.v1': partitions(3) };
  const partitionsOf = (topic: string) => metadata[topic];

  it('puts each keyed message on the partition kafkajs itself would choose, one batch per topic partition', () => {
    const keys = Array.from({ length: 60 }, (_, i) => `12240000000000${i}`);
    const batches = partitionBatches([{ topic: 'posts.events.v1', messages: keys.map((key) => ({ key, value: key })) }], partitionsOf);
    const partitioner = Partitioners.DefaultPartitioner();
    for (const batch of batches) {
      for (const message of batch.messages) {
        expect(partitioner({ topic: batch.topic, partitionMetadata: metadata[batch.topic], message: { key: message.key, value: message.value } })).toBe(batch.partition);
        expect(message.partition).toBe(batch.partition);
      }
    }
    expect(new Set(batches.map((batch) => batch.partition)).size).toBe(batches.length);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.reduce((sum, batch) => sum + batch.messages.length, 0)).toBe(60);
  });

  it('keeps the order of the messages of one key and separates topics', () => {
    const messages = ['a', 'b', 'c'].map((value) => ({ key: 'same-key', value }));
    const batches = partitionBatches(
      [
        { topic: 'posts.events.v1', messages },
        { topic: 'graph.events.v1', messages: [{ key: 'same-key', value: 'g' }] },
      ],
      partitionsOf,
    );
    expect(batches).toHaveLength(2);
    expect(batches.find((batch) => batch.topic === 'posts.events.v1')?.messages.map((message) => message.value)).toEqual(['a', 'b', 'c']);
  });

  it('keeps a partition the caller chose', () => {
    const [batch] = partitionBatches([{ topic: 'graph.events.v1', messages: [{ key: 'k', value: 'v', partition: 2 }] }], partitionsOf);
    expect(batch.partition).toBe(2);
  });
});
