import { ALL_TOPICS, allDeadLetterTopics } from '@app/contracts';
import kafkajs, { type Kafka } from 'kafkajs';

// kafkajs is CommonJS and this enum is not visible to ESM named imports.
const { ConfigResourceTypes } = kafkajs;

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
    // Topics made before retention was set keep their old limit: lift it, so rebuilds replay everything.
    const older = ALL_TOPICS.filter((topic) => existing.has(topic));
    if (older.length > 0) {
      await admin.alterConfigs({
        validateOnly: false,
        resources: older.map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configEntries: [
            { name: 'cleanup.policy', value: 'delete' },
            { name: 'retention.ms', value: '-1' },
          ],
        })),
      });
    }
    return wanted;
  } finally {
    await admin.disconnect();
  }
}
