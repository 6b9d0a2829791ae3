import { Inject, Injectable } from '@nestjs/common';
import type { KafkaContext } from '@nestjs/microservices';
import { trace } from '@opentelemetry/api';
import { deadLetterTopic, EventHeaders, type EventEnvelope, type EventTypeOf, parseEnvelope, type Topic } from '@app/contracts';
import type { IHeaders } from 'kafkajs';
import { APP_CONFIG, SERVICE_NAME } from '../config/config.module.js';
import type { KafkaEnv } from '../config/config.js';
import { DB_SCHEMA } from '../database/database.module.js';
import { LOGGER } from '../logging/logging.module.js';
import type { AppLogger } from '../logging/logger.js';
import { runWithContext } from '../logging/request-context.js';
import { Metrics } from '../metrics/instruments.js';
import { failSpan, MessagingAttributes, startConsumerSpan, WarbleAttributes, withSpan } from '../tracing/spans.js';
import { Tracing } from '../tracing/tracing.js';
import { isDependencyOutage } from './dependency-outage.js';
import { KafkaProducerService } from './kafka-producer.service.js';
import { type Transaction, UnitOfWork } from './unit-of-work.js';

export const CONSUMER_GROUP = Symbol('CONSUMER_GROUP');

/** Thrown by a handler for a message that can never succeed: dead-letter it at once. */
export class PoisonMessageError extends Error {
  override name = 'PoisonMessageError';
}

export type EventHandlers<TTopic extends Topic> = {
  [K in EventTypeOf<TTopic>]?: (event: EventEnvelope<K>, tx: Transaction) => Promise<void>;
};

export type InboxOutcome = 'applied' | 'duplicate' | 'skipped' | 'dead-lettered';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return JSON.parse(utf8.decode(value));
  if (typeof value === 'string') return JSON.parse(value);
  return value;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The longest wait between two attempts, reached while a dependency's outage is waited out. */
const MAX_BACKOFF_MS = 5_000;

/**
 * Idempotent consumption (events.md, "Consumer side"): the event id is recorded
 * in the service's own schema in the same transaction as the effect, so a
 * redelivered message has no second effect. Failures are retried with
 * exponential backoff a bounded number of times, then the message goes to the
 * group's dead-letter topic with the error in a header, and consumption goes
 * on. The handler returns only after the effect is durable, and only then does
 * kafkajs mark the offset for commit.
 */
@Injectable()
export class EventInbox {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly producer: KafkaProducerService,
    @Inject(DB_SCHEMA) private readonly schema: string,
    @Inject(CONSUMER_GROUP) private readonly group: string,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(APP_CONFIG) private readonly config: KafkaEnv,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  private lagWatched = false;

  async consume<TTopic extends Topic>(context: KafkaContext, handlers: EventHandlers<TTopic>): Promise<InboxOutcome> {
    this.watchLag(context);
    const topic = context.getTopic();
    const stopTimer = Metrics.kafkaHandlerDuration.startTimer({ topic });
    const outcome = Tracing.enabled ? await this.consumeTraced(context, handlers) : await this.consumeOnce(context, handlers);
    stopTimer();
    Metrics.kafkaConsumed.inc({ topic, outcome });
    if (outcome === 'dead-lettered') Metrics.kafkaDeadLetters.inc({ topic });
    return outcome;
  }

  /**
   * consumeOnce inside a CONSUMER span, child of the producer's span from the
   * message headers. Events the handler emits carry this span on (outbox), and
   * a dead letter marks it failed.
   */
  private async consumeTraced<TTopic extends Topic>(context: KafkaContext, handlers: EventHandlers<TTopic>): Promise<InboxOutcome> {
    const message = context.getMessage();
    const key = message.key === null || message.key === undefined ? undefined : message.key.toString();
    const { span, parent } = startConsumerSpan(
      { topic: context.getTopic(), partition: context.getPartition(), offset: message.offset, key, headers: message.headers },
      this.group,
    );
    try {
      const outcome = await withSpan(span, parent, () => this.consumeOnce(context, handlers));
      span.setAttribute(WarbleAttributes.inboxOutcome, outcome);
      if (outcome === 'dead-lettered') failSpan(span, new Error('message dead-lettered'), 'dead-lettered');
      return outcome;
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /** kafkajs reports each partition's lag after every batch; the gauge keeps the latest. */
  private watchLag(context: KafkaContext): void {
    if (this.lagWatched) return;
    this.lagWatched = true;
    const consumer = context.getConsumer();
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      Metrics.kafkaConsumerLag.set({ topic: payload.topic, partition: String(payload.partition) }, Number(payload.offsetLag));
    });
  }

  private async consumeOnce<TTopic extends Topic>(context: KafkaContext, handlers: EventHandlers<TTopic>): Promise<InboxOutcome> {
    const message = context.getMessage();
    const headers = message.headers ?? {};
    const correlationId = headerText(headers[EventHeaders.correlationId]);
    return runWithContext({ requestId: correlationId ?? `kafka:${context.getTopic()}:${context.getPartition()}:${message.offset}` }, async () => {
      let parsed;
      try {
        parsed = parseEnvelope(decode(message.value));
      } catch (error) {
        return this.deadLetter(context, `undecodable value: ${errorText(error)}`, 0);
      }
      if (!parsed.ok) return this.deadLetter(context, parsed.error, 0);
      if (!parsed.known) return 'skipped';
      const envelope = parsed.envelope;
      if (Tracing.enabled) trace.getActiveSpan()?.setAttributes({ [MessagingAttributes.messageId]: envelope.id, [WarbleAttributes.eventType]: envelope.type });
      const handler = (handlers as Record<string, ((event: EventEnvelope, tx: Transaction) => Promise<void>) | undefined>)[envelope.type];
      if (!handler) return 'skipped';
      return this.applyWithRetries(context, envelope, handler, correlationId);
    });
  }

  private async applyWithRetries(
    context: KafkaContext,
    envelope: EventEnvelope,
    handler: (event: EventEnvelope, tx: Transaction) => Promise<void>,
    correlationId: string | undefined,
  ): Promise<InboxOutcome> {
    const maxAttempts = this.config.KAFKA_HANDLER_MAX_ATTEMPTS;
    const outageDeadline = Date.now() + this.config.KAFKA_HANDLER_OUTAGE_RETRY_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.applyOnce(envelope, handler, correlationId);
      } catch (error) {
        // Each failed attempt shows on the consumer span as an exception event.
        if (Tracing.enabled && error instanceof Error) trace.getActiveSpan()?.recordException(error);
        const poison = error instanceof PoisonMessageError;
        // Redis failing over or Postgres restarting says nothing about the event: wait the outage out.
        const outage = !poison && isDependencyOutage(error) && Date.now() < outageDeadline;
        if (poison || (attempt >= maxAttempts && !outage)) {
          this.logger.error({ err: error, eventId: envelope.id, type: envelope.type, attempt }, 'event handler gave up');
          return this.deadLetter(context, errorText(error), attempt);
        }
        const delay = Math.min(this.config.KAFKA_HANDLER_BACKOFF_MS * 2 ** (Math.min(attempt, maxAttempts) - 1), MAX_BACKOFF_MS);
        Metrics.kafkaRetries.inc({ topic: context.getTopic() });
        this.logger.warn({ err: error, eventId: envelope.id, type: envelope.type, attempt, retryInMs: delay }, 'event handler failed; retrying');
        await sleep(delay);
        await context.getHeartbeat()();
      }
    }
  }

  /** One transaction: claim the event id, apply the effect (and any events it emits). */
  private async applyOnce(
    envelope: EventEnvelope,
    handler: (event: EventEnvelope, tx: Transaction) => Promise<void>,
    correlationId: string | undefined,
  ): Promise<InboxOutcome> {
    return this.unitOfWork.run(async (tx) => {
      const claimed = await tx.manager.query<unknown[]>(
        `INSERT INTO "${this.schema}".processed_events (event_id, event_type) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
        [envelope.id, envelope.type],
      );
      if (claimed.length === 0) return 'duplicate';
      await handler(envelope, tx);
      return 'applied';
    }, correlationId);
  }

  /**
   * Publishes the original message, untouched, to the dead-letter topic. If
   * that fails too the error propagates, kafkajs does not commit the offset,
   * and the message is delivered again: nothing is dropped silently.
   */
  private async deadLetter(context: KafkaContext, reason: string, attempts: number): Promise<InboxOutcome> {
    const message = context.getMessage();
    const topic = context.getTopic() as Topic;
    const headers: IHeaders = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      const text = headerText(value);
      if (text !== undefined) headers[name] = text;
    }
    Object.assign(headers, {
      [EventHeaders.dlqError]: reason.slice(0, 2_000),
      [EventHeaders.dlqOriginalTopic]: topic,
      [EventHeaders.dlqOriginalPartition]: String(context.getPartition()),
      [EventHeaders.dlqOriginalOffset]: String(message.offset),
      [EventHeaders.dlqAttempts]: String(attempts),
    });
    const value = message.value as unknown;
    await this.producer.send(deadLetterTopic(topic, this.group), [
      {
        key: message.key === null || message.key === undefined ? null : String(message.key),
        value: Buffer.isBuffer(value) ? value : typeof value === 'string' ? value : JSON.stringify(value),
        headers,
      },
    ]);
    this.logger.error({ topic, partition: context.getPartition(), offset: message.offset, reason, service: this.service }, 'message dead-lettered');
    return 'dead-lettered';
  }
}

function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return headerText(value[0]);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return typeof value === 'string' ? value : JSON.stringify(value);
}
