import { ALL_TOPICS, allDeadLetterTopics } from '@app/contracts';
import type { Kafka } from 'kafkajs';

/**
 * Creates every domain and dead-letter topic that does not exist yet. Topics
 * are never auto-created (kafkajs misbehaves on fresh auto-created topics).
 */
export async function ensureTopics(kafka: Kafka, partitions: number, replicationFactor = 1): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const domain = new Set<string>(ALL_TOPICS);
    const wanted = [...ALL_TOPICS, ...allDeadLetterTopics()].filter((topic) => !existing.has(topic));
    if (wanted.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: wanted.map((topic) => ({
          topic,
          numPartitions: partitions,
          replicationFactor,
          configEntries: [
            { name: 'cleanup.policy', value: 'delete' },
            // Domain events are kept: projections (e.g. the search index) are rebuilt from offset 0.
            ...(domain.has(topic) ? [{ name: 'retention.ms', value: '-1' }] : []),
          ],
        })),
      });
    }
    return wanted;
  } finally {
    await admin.disconnect();
  }
}
