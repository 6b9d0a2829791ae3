import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Span, trace } from '@opentelemetry/api';
import { EventHeaders } from '@app/contracts';
import type { TopicMessages } from 'kafkajs';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { KafkaEnv } from '../config/config.js';
import { DB_SCHEMA } from '../database/database.module.js';
import { LOGGER } from '../logging/logging.module.js';
import type { AppLogger } from '../logging/logger.js';
import { Metrics, onScrape } from '../metrics/instruments.js';
import { contextFromStored, TRACE_PARENT_HEADER, TRACE_STATE_HEADER, type TraceHeaders, traceHeaders } from '../tracing/propagation.js';
import { failSpan, startProducerSpan } from '../tracing/spans.js';
import { Tracing } from '../tracing/tracing.js';
import { KafkaProducerService } from './kafka-producer.service.js';

interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  message_key: string;
  event_type: string;
  payload: string;
  correlation_id: string | null;
  trace_parent: string | null;
  trace_state: string | null;
  created_at: Date;
}

/** The trace context the writer stored, passed on as it is. */
function storedTrace(row: OutboxRow): TraceHeaders {
  if (!row.trace_parent) return {};
  return row.trace_state ? { traceparent: row.trace_parent, tracestate: row.trace_state } : { traceparent: row.trace_parent };
}

/**
 * Groups rows per topic, keeping the outbox order inside each topic.
 * `traceOf` gives each message's trace headers (by default what the row stored).
 */
export function toTopicMessages(rows: OutboxRow[], traceOf: (row: OutboxRow) => TraceHeaders = storedTrace): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages>();
  for (const row of rows) {
    const headers: Record<string, string> = {
      [EventHeaders.eventType]: row.event_type,
      [EventHeaders.contentType]: 'application/json',
    };
    if (row.correlation_id) headers[EventHeaders.correlationId] = row.correlation_id;
    const trace = traceOf(row);
    if (trace.traceparent) headers[TRACE_PARENT_HEADER] = trace.traceparent;
    if (trace.tracestate) headers[TRACE_STATE_HEADER] = trace.tracestate;
    let entry = byTopic.get(row.topic);
    if (!entry) byTopic.set(row.topic, (entry = { topic: row.topic, messages: [] }));
    entry.messages.push({ key: row.message_key, value: row.payload, headers });
  }
  return [...byTopic.values()];
}

/**
 * Publishes committed outbox rows in id order and deletes them only after the
 * broker acknowledged them (acks=all). A transaction-scoped advisory lock lets
 * one replica relay at a time, which keeps per-key order across replicas.
 * A crash between publish and delete republishes: consumers dedupe by event id.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private wakeRequested = false;
  private failures = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: KafkaProducerService,
    @Inject(DB_SCHEMA) private readonly schema: string,
    @Inject(APP_CONFIG) private readonly config: KafkaEnv,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
    // Backlog and age are read at scrape time, so they are right even while publishing is stuck.
    onScrape(() => this.collectBacklog());
  }

  private async collectBacklog(): Promise<void> {
    try {
      const [row] = await this.dataSource.query<{ backlog: number; age: number | null }[]>(
        `SELECT count(*)::int AS backlog, extract(epoch FROM now() - min(created_at))::float AS age FROM "${this.schema}".outbox`,
      );
      Metrics.outboxBacklog.set(row.backlog);
      Metrics.outboxOldestAge.set(row.age ?? 0);
    } catch {
      // The database is away: the health check says so; keep the last values.
    }
  }

  /** Called after a commit that wrote outbox rows: publish now instead of at the next poll. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    // One last flush so that a graceful stop leaves nothing behind that it could send.
    await this.publishBatch().catch((error: unknown) => this.logger.warn({ err: error }, 'outbox: final flush failed'));
  }

  /** Publishes at most one batch; returns how many rows went out. Exposed for tests. */
  async publishBatch(): Promise<number> {
    // Most polls find nothing: one cheap statement instead of a transaction with a lock (four round trips).
    const [{ pending }] = await this.dataSource.query<{ pending: boolean }[]>(`SELECT EXISTS (SELECT 1 FROM "${this.schema}".outbox) AS pending`);
    if (!pending) return 0;
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [`outbox:${this.schema}`]);
      if (!locked) return 0;
      const rows = await manager.query<OutboxRow[]>(
        `SELECT id, event_id, topic, message_key, event_type, payload, correlation_id, trace_parent, trace_state, created_at
           FROM "${this.schema}".outbox ORDER BY id LIMIT $1`,
        [this.config.OUTBOX_BATCH_SIZE],
      );
      if (rows.length === 0) return 0;
      const spans: Span[] = [];
      const batches = toTopicMessages(rows, Tracing.enabled ? (row) => this.startSendSpan(row, spans) : undefined);
      try {
        await this.producer.sendBatch(batches);
      } catch (error) {
        for (const span of spans) failSpan(span, error);
        throw error;
      } finally {
        for (const span of spans) span.end();
      }
      for (const batch of batches) Metrics.kafkaProduced.inc({ topic: batch.topic }, batch.messages.length);
      await manager.query(`DELETE FROM "${this.schema}".outbox WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
      return rows.length;
    });
  }

  /**
   * A PRODUCER span for a row written inside a trace: child of the writer's
   * span, from the row's write to Kafka's acknowledgement (so the wait in the
   * outbox shows). The message carries this span as the consumer's parent.
   * Rows written outside a trace stay without span and header.
   */
  private startSendSpan(row: OutboxRow, spans: Span[]): TraceHeaders {
    if (!row.trace_parent) return {};
    const parent = contextFromStored(row.trace_parent, row.trace_state);
    const span = startProducerSpan(
      { topic: row.topic, key: row.message_key, eventId: row.event_id, eventType: row.event_type, writtenAt: row.created_at },
      parent,
    );
    spans.push(span);
    return traceHeaders(trace.setSpan(parent, span));
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const published = await this.publishBatch();
        if (this.failures > 0) this.logger.info({ afterFailures: this.failures }, 'outbox: publishing again');
        this.failures = 0;
        if (published < this.config.OUTBOX_BATCH_SIZE) await this.idle(this.config.OUTBOX_POLL_MS);
      } catch (error) {
        this.failures += 1;
        const delay = Math.min(200 * 2 ** Math.min(this.failures - 1, 5), 5_000);
        this.logger.warn({ err: error, failures: this.failures, retryInMs: delay }, 'outbox: publish failed; events stay in the outbox');
        await this.idle(delay);
      }
    }
  }

  /** Sleeps up to `ms`, or less if a commit wakes the relay (also one that came while it was busy). */
  private idle(ms: number): Promise<void> {
    if (this.wakeRequested || !this.running) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.wakeRequested = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
