import { Kafka, logLevel, type LogEntry, type Producer } from 'kafkajs';
import './kafkajs-idle-fix.js';
import type { AppLogger } from '../logging/logger.js';

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** Sends kafkajs's own log lines through the app's JSON logger. */
export function kafkaLogCreator(logger: AppLogger) {
  return () =>
    ({ level, label, log }: LogEntry): void => {
      const { message, ...extra } = log;
      logger[LEVEL_NAMES[level] ?? 'info']({ kafka: label, ...extra }, `kafka: ${message}`);
    };
}

export function createKafka(clientId: string, brokers: string[], logger: AppLogger): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5_000 },
  });
}

/**
 * A producer for the outbox relay and the dead-letter path: one request in
 * flight (so retries never reorder a partition), and every send waits for
 * all in-sync replicas (`acks: -1`).
 *
 * Not kafkajs's idempotent mode: its sequence bookkeeping goes wrong when a
 * send fails while partitions move between brokers (the cluster fault test
 * saw "out of order sequence number" for a minute, then an acknowledged
 * comment.created that never reached the topic). Without it a retry can
 * write a message twice, which every consumer's inbox drops by event id
 * (docs/events.md), and nothing acknowledged is lost.
 */
export function createReliableProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: false, maxInFlightRequests: 1, allowAutoTopicCreation: false });
}

export const ACKS_ALL = -1;
