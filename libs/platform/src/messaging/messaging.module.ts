import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { APP_CONFIG, SERVICE_NAME } from '../config/config.module.js';
import type { KafkaEnv } from '../config/config.js';
import { HEALTH_CHECKS } from '../health/health-check.js';
import { LOGGER } from '../logging/logging.module.js';
import type { AppLogger } from '../logging/logger.js';
import { CONSUMER_GROUP, EventInbox } from './event-inbox.js';
import { InboxPruner } from './inbox-pruner.js';
import { createKafka } from './kafka-client.js';
import { KafkaHealthCheck } from './kafka-health.js';
import { KAFKA, KafkaProducerService } from './kafka-producer.service.js';
import { OutboxRelay } from './outbox-relay.js';
import { UnitOfWork } from './unit-of-work.js';

/**
 * Reliable messaging for a service that owns a schema: the outbox (unit of
 * work and relay) and, when the service consumes, the idempotent inbox.
 * Requires DatabaseModule.
 */
@Global()
@Module({})
export class MessagingModule {
  static forService(options: { consumerGroup?: string }): DynamicModule {
    const providers: Provider[] = [
      {
        provide: KAFKA,
        inject: [APP_CONFIG, SERVICE_NAME, LOGGER],
        useFactory: (config: KafkaEnv, service: string, logger: AppLogger) => createKafka(`${service}-producer`, config.KAFKA_BROKERS, logger),
      },
      KafkaProducerService,
      OutboxRelay,
      UnitOfWork,
      KafkaHealthCheck,
      { provide: HEALTH_CHECKS.kafka, useExisting: KafkaHealthCheck },
    ];
    if (options.consumerGroup) {
      providers.push({ provide: CONSUMER_GROUP, useValue: options.consumerGroup }, EventInbox, InboxPruner);
    }
    return {
      module: MessagingModule,
      providers,
      exports: providers.filter((provider) => provider !== KafkaHealthCheck),
    };
  }
}
