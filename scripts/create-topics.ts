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
const created = await ensureTopics(createKafka('warble-admin', config.KAFKA_BROKERS, logger), {
  partitions: config.KAFKA_TOPIC_PARTITIONS,
  replicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
  minInsyncReplicas: config.KAFKA_TOPIC_MIN_INSYNC_REPLICAS,
});
process.stdout.write(created.length ? `created topics: ${created.join(', ')}\n` : 'all topics exist\n');
