import { ALL_TOPICS, allDeadLetterTopics } from '@app/contracts';
import kafkajs, { type Kafka } from 'kafkajs';

// kafkajs is CommonJS and this enum is not visible to ESM named imports.
const { ConfigResourceTypes } = kafkajs;

/** How the topics are laid out on the brokers. */
export interface TopicLayout {
  partitions: number;
  /** Copies of each partition: 1 on a single broker, 3 in a cluster. */
  replicationFactor: number;
  /** Replicas that must have a write before `acks=all` acknowledges it (2 of 3 in a cluster). */
  minInsyncReplicas: number;
}

/**
 * Creates every domain and dead-letter topic that does not exist yet. Topics
 * are never auto-created (kafkajs misbehaves on fresh auto-created topics).
 */
export async function ensureTopics(kafka: Kafka, layout: TopicLayout): Promise<string[]> {
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
          numPartitions: layout.partitions,
          replicationFactor: layout.replicationFactor,
          configEntries: [
            { name: 'cleanup.policy', value: 'delete' },
            { name: 'min.insync.replicas', value: String(layout.minInsyncReplicas) },
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
