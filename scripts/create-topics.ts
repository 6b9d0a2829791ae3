/**
 * Creates every Kafka topic of the event contract and every dead-letter
 * topic, with the configured partition count. Safe to run again.
 */
import { z } from 'zod';
import { createKafka, createLogger, ensureTopics, kafkaEnv, loadConfig } from '@app/platform';

const config = loadConfig(z.object({ KAFKA_BROKERS: kafkaEnv.shape.KAFKA_BROKERS, KAFKA_TOPIC_PARTITIONS: kafkaEnv.shape.KAFKA_TOPIC_PARTITIONS }));
const logger = createLogger('create-topics', 'warn');
const created = await ensureTopics(createKafka('warble-admin', config.KAFKA_BROKERS, logger), config.KAFKA_TOPIC_PARTITIONS);
process.stdout.write(created.length ? `created topics: ${created.join(', ')}\n` : 'all topics exist\n');
