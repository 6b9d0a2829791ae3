import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Admin, Kafka, Message, PartitionMetadata, Producer, TopicMessages } from 'kafkajs';
import { ACKS_ALL, createReliableProducer } from './kafka-client.js';
import { partitionBatches } from './partitioned-batches.js';

/** How long a topic's partition list is trusted before it is asked for again (partitions are only ever added). */
const PARTITIONS_TTL_MS = 60_000;

export const KAFKA = Symbol('KAFKA');

/**
 * Lazily connected reliable producer. A failed connection is retried on the
 * next send, so a broker outage only delays messages. A batch is sent as one
 * send per topic partition, in parallel (see partitionBatches for the kafkajs
 * bug this avoids); it resolves only when every partition's leader has
 * acknowledged its messages with all in-sync replicas, and rejects otherwise,
 * so the caller sends the whole batch again (consumers drop the duplicates).
 */
@Injectable()
export class KafkaProducerService implements OnApplicationShutdown {
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  private admin?: Admin;
  private readonly partitions = new Map<string, { list: PartitionMetadata[]; until: number }>();

  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  async sendBatch(topicMessages: TopicMessages[]): Promise<void> {
    const producer = await this.connected();
    await this.loadPartitions(topicMessages.map(({ topic }) => topic));
    const batches = partitionBatches(topicMessages, (topic) => this.partitions.get(topic)?.list ?? []);
    await Promise.all(batches.map(({ topic, messages }) => producer.send({ topic, messages, acks: ACKS_ALL, timeout: 10_000 })));
  }

  /** The partition lists of the topics not known (or not recently asked for). */
  private async loadPartitions(topics: string[]): Promise<void> {
    const now = Date.now();
    const missing = [...new Set(topics)].filter((topic) => (this.partitions.get(topic)?.until ?? 0) <= now);
    if (missing.length === 0) return;
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const { topics: described } = await this.admin.fetchTopicMetadata({ topics: missing });
    for (const { name, partitions } of described) this.partitions.set(name, { list: partitions, until: now + PARTITIONS_TTL_MS });
  }

  async send(topic: string, messages: Message[]): Promise<void> {
    await this.sendBatch([{ topic, messages }]);
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      const producer = createReliableProducer(this.kafka);
      try {
        await producer.connect();
      } catch (error) {
        this.connecting = undefined;
        await producer.disconnect().catch(() => undefined);
        throw error;
      }
      this.producer = producer;
      return producer;
    })();
    return this.connecting;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
    this.connecting = undefined;
  }
}
