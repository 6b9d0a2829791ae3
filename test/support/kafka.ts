import { randomBytes } from 'node:crypto';
import { readTopicsToEnd } from '@app/platform';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers } from './env.js';

export interface ReadMessage {
  partition: number;
  key: string | undefined;
  value: string;
  headers: Record<string, string>;
}

/**
 * Reads a topic as an outside consumer would (own throw-away group, from the
 * beginning) up to the end offsets it had when called, and returns the
 * matching messages, each partition's in order. `brokers`: another broker
 * than the shared one (a suite's own).
 */
export async function readTopicToEnd(topic: string, match: (message: ReadMessage) => boolean, brokers: string[] = kafkaBrokers): Promise<ReadMessage[]> {
  const kafka = new Kafka({ clientId: `e2e-reader-${randomBytes(3).toString('hex')}`, brokers, logLevel: logLevel.NOTHING });
  const found: ReadMessage[] = [];
  await readTopicsToEnd(
    kafka,
    [topic],
    ({ partition, key, value, headers }) => {
      const read = { partition, key, value, headers };
      if (match(read)) found.push(read);
    },
    { groupPrefix: 'e2e-reader' },
  );
  return found;
}
