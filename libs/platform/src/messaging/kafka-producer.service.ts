import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import { ACKS_ALL, createReliableProducer } from './kafka-client.js';

export const KAFKA = Symbol('KAFKA');

/**
 * Lazily connected reliable producer. A failed connection is retried on the
 * next send, so a broker outage only delays messages.
 */
@Injectable()
export class KafkaProducerService implements OnApplicationShutdown {
  private producer?: Producer;
  private connecting?: Promise<Producer>;

  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  async sendBatch(topicMessages: TopicMessages[]): Promise<void> {
    const producer = await this.connected();
    await producer.sendBatch({ topicMessages, acks: ACKS_ALL, timeout: 10_000 });
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
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
    this.connecting = undefined;
  }
}
