import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';

export interface ReadMessage {
  topic: string;
  partition: number;
  key: string | undefined;
  value: string;
  headers: Record<string, string>;
}

export interface ReadToEndOptions {
  /** Prefix of the throw-away consumer group id (a random suffix follows). */
  groupPrefix: string;
  /** Fails when no message arrives for this long before the end is reached. */
  idleTimeoutMs?: number;
}

/**
 * Reads topics as an outside consumer does (docs/events.md, "Subscribing
 * from outside"): a throw-away consumer group of its own, from the oldest
 * retained offset up to the end offsets the partitions had when called, then
 * stops and deletes the group. Messages of one partition come in order.
 * Returns how many messages were read.
 */
export async function readTopicsToEnd(kafka: Kafka, topics: readonly string[], onMessage: (message: ReadMessage) => void, options: ReadToEndOptions): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${options.groupPrefix}-${randomBytes(6).toString('hex')}`;
  const consumer = kafka.consumer({ groupId });
  try {
    // The end of each non-empty partition, as `topic/partition` → offset after its last message.
    const ends = new Map<string, bigint>();
    for (const topic of topics) {
      for (const offsets of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(offsets.high) > BigInt(offsets.low)) ends.set(`${topic}/${offsets.partition}`, BigInt(offsets.high));
      }
    }
    if (ends.size === 0) return 0;
    let read = 0;
    let lastProgress = Date.now();
    let reachedEnd!: () => void;
    const done = new Promise<void>((resolve) => (reachedEnd = resolve));
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: ({ topic, partition, message }) => {
        const at = `${topic}/${partition}`;
        const end = ends.get(at);
        const offset = BigInt(message.offset);
        if (end === undefined || offset >= end) return Promise.resolve();
        lastProgress = Date.now();
        read++;
        onMessage({
          topic,
          partition,
          key: message.key?.toString(),
          value: message.value?.toString() ?? '',
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
        });
        if (offset + 1n >= end) {
          ends.delete(at);
          if (ends.size === 0) reachedEnd();
        }
        return Promise.resolve();
      },
    });
    const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
    let watchdog: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      watchdog = setInterval(() => {
        if (Date.now() - lastProgress > idleTimeoutMs) reject(new Error(`no message for ${idleTimeoutMs} ms before the end of ${[...ends.keys()].join(', ')}`));
      }, 1_000);
    });
    try {
      await Promise.race([done, stalled]);
    } finally {
      clearInterval(watchdog);
    }
    return read;
  } finally {
    await consumer.disconnect();
    // No offsets were committed, so the group may already be gone: nothing to clean then.
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
