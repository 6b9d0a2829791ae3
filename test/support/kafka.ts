import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers } from './env.js';
import { eventually } from './eventually.js';

export interface ReadMessage {
  partition: number;
  key: string | undefined;
  value: string;
  headers: Record<string, string>;
}

/**
 * Reads a topic as an outside consumer would (own throw-away group, from the
 * beginning) up to the end offsets it had when called, and returns the
 * matching messages in partition order. `brokers`: another broker than the
 * shared one (a suite's own).
 */
export async function readTopicToEnd(topic: string, match: (message: ReadMessage) => boolean, brokers: string[] = kafkaBrokers): Promise<ReadMessage[]> {
  const kafka = new Kafka({ clientId: `e2e-reader-${randomBytes(3).toString('hex')}`, brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `e2e-reader-${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId });
  try {
    const ends = new Map((await admin.fetchTopicOffsets(topic)).filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
    const found: ReadMessage[] = [];
    if (ends.size === 0) return found;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        const end = ends.get(partition);
        if (end === undefined || BigInt(message.offset) >= end) return Promise.resolve();
        const read: ReadMessage = {
          partition,
          key: message.key?.toString(),
          value: message.value?.toString() ?? '',
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
        };
        if (match(read)) found.push(read);
        if (BigInt(message.offset) + 1n >= end) ends.delete(partition);
        return Promise.resolve();
      },
    });
    await eventually(() => (ends.size === 0 ? true : undefined), { timeoutMs: 30_000, what: `the end of ${topic}` });
    return found;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
