import { ConsumerGroups, type ConsumerGroup } from '@app/contracts';
import type { Kafka } from 'kafkajs';

/** Total consumer lag of a group over all its topics. */
export async function groupLag(kafka: Kafka, group: ConsumerGroup): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let lag = 0;
    for (const topic of ConsumerGroups[group]) {
      const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId: group, topics: [topic] })]);
      const committedByPartition = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
      for (const end of ends) {
        const at = committedByPartition.get(end.partition) ?? -1;
        lag += Number(end.high) - Math.max(at, Number(end.low));
      }
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}

/** Waits until every consumer group has caught up (all events of the seeding applied). */
export async function waitForSettled(kafka: Kafka, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lags = await Promise.all((Object.keys(ConsumerGroups) as ConsumerGroup[]).filter((g) => ConsumerGroups[g].length > 0).map((g) => groupLag(kafka, g)));
    const total = lags.reduce((a, b) => a + b, 0);
    if (total === 0) return;
    if (Date.now() > deadline) throw new Error(`consumers still ${total} messages behind after ${timeoutMs} ms`);
    process.stdout.write(`  waiting for consumers: ${total} messages behind\n`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
