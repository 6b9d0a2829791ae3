/**
 * Creates every Kafka topic of the event contract and every dead-letter
 * topic, with the configured partitions and replication. Safe to run again.
 */
import { z } from 'zod';
import { createKafka, createLogger, ensureTopics, kafkaEnv, loadConfig } from '@app/platform';

const config = loadConfig(
  z.object({
    KAFKA_BROKERS: kafkaEnv.shape.KAFKA_BROKERS,
    KAFKA_TOPIC_PARTITIONS: kafkaEnv.shape.KAFKA_TOPIC_PARTITIONS,
    // 1 on the single local broker; a cluster of three (make up-cluster) uses 3 and 2.
    KAFKA_TOPIC_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(7).default(1),
    KAFKA_TOPIC_MIN_INSYNC_REPLICAS: z.coerce.number().int().min(1).max(7).default(1),
  }).refine((c) => c.KAFKA_TOPIC_MIN_INSYNC_REPLICAS <= c.KAFKA_TOPIC_REPLICATION_FACTOR, {
    message: 'must not exceed KAFKA_TOPIC_REPLICATION_FACTOR',
    path: ['KAFKA_TOPIC_MIN_INSYNC_REPLICAS'],
  }),
);
const logger = createLogger('create-topics', 'warn');
const kafka = createKafka('warble-admin', config.KAFKA_BROKERS, logger);
const layout = {
  partitions: config.KAFKA_TOPIC_PARTITIONS,
  replicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
  minInsyncReplicas: config.KAFKA_TOPIC_MIN_INSYNC_REPLICAS,
};
// A cluster that has just formed may not know a new topic's partitions on every
// broker yet ("does not host this topic-partition"); creating is idempotent, so try again.
const ATTEMPTS = 6;
async function createWithRetries(): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ensureTopics(kafka, layout);
    } catch (error) {
      if (attempt === ATTEMPTS) throw error;
      process.stderr.write(`create-topics: attempt ${attempt} failed (${(error as Error).message}); retrying\n`);
      await new Promise((wait) => setTimeout(wait, 2_000));
    }
  }
}
const created = await createWithRetries();
process.stdout.write(created.length ? `created topics: ${created.join(', ')}\n` : 'all topics exist\n');
