import { type KafkaOptions, Transport } from '@nestjs/microservices';
import './kafkajs-idle-fix.js';
import type { KafkaEnv } from '../config/config.js';
import type { AppLogger } from '../logging/logger.js';
import { kafkaLogCreator } from './kafka-client.js';

/**
 * Options for the Kafka side of a hybrid app. The group id is used verbatim
 * (`postfixId: ''`; NestJS would append "-server"), values stay binary so the
 * inbox can validate them itself, and offsets are auto-committed only for
 * messages whose handler has returned.
 */
export function kafkaConsumerOptions(config: KafkaEnv, group: string, logger: AppLogger): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      postfixId: '',
      client: {
        clientId: `${group}-consumer`,
        brokers: config.KAFKA_BROKERS,
        logCreator: kafkaLogCreator(logger),
        connectionTimeout: 3_000,
        retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
      },
      consumer: {
        groupId: group,
        allowAutoTopicCreation: false,
        // A killed replica's partitions move to the others this long after its last heartbeat.
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
      },
      subscribe: { fromBeginning: true },
      run: { autoCommit: true, partitionsConsumedConcurrently: config.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY },
      parser: { keepBinary: true },
    },
  };
}
