import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { buildEnvelope, type EventData, type EventType, type Producer, topicOf } from '@app/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { DB_SCHEMA } from '../database/database.module.js';
import { SERVICE_NAME } from '../config/config.module.js';
import { RecentWrites } from '../database/recent-writes.js';
import { currentCallerId, currentRequestId } from '../logging/request-context.js';
import { type TraceHeaders, traceHeaders } from '../tracing/propagation.js';
import { Tracing } from '../tracing/tracing.js';
import { OutboxRelay } from './outbox-relay.js';

export interface PublishArgs<T extends EventType> {
  type: T;
  /** Kafka message key: keeps one aggregate's events in one partition, in order. */
  key: string;
  data: EventData<T>;
  /** Defaults to the key. */
  aggregateId?: string;
}

/** A database transaction that can also emit events through the outbox. */
export class Transaction {
  constructor(
    readonly manager: EntityManager,
    private readonly schema: string,
    private readonly producer: Producer,
    private readonly correlationId: string | undefined,
    /** The span that wrote the events (request or consumer): the relay sends it along as their parent. */
    private readonly trace?: TraceHeaders,
  ) {}

  /** Writes the event to the outbox in this transaction; the relay publishes it after commit. */
  async publish<T extends EventType>(args: PublishArgs<T>): Promise<string> {
    const envelope = buildEnvelope({
      id: randomUUID(),
      type: args.type,
      producer: this.producer,
      aggregateId: args.aggregateId ?? args.key,
      data: args.data,
      occurredAt: new Date(),
    });
    await this.manager.query(
      `INSERT INTO "${this.schema}".outbox (event_id, topic, message_key, event_type, payload, correlation_id, trace_parent, trace_state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        envelope.id,
        topicOf(args.type),
        args.key,
        args.type,
        JSON.stringify(envelope),
        this.correlationId ?? null,
        this.trace?.traceparent ?? null,
        this.trace?.tracestate ?? null,
      ],
    );
    return envelope.id;
  }
}

/** Runs a state change and its events in one Postgres transaction (transactional outbox). */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(DB_SCHEMA) private readonly schema: string,
    @Inject(SERVICE_NAME) private readonly service: string,
    private readonly relay: OutboxRelay,
    private readonly recentWrites: RecentWrites,
  ) {}

  /**
   * `changesCallerReads: false` for bookkeeping a caller never reads back (experiment
   * exposures and results shown): it does not send their next reads to the primary.
   */
  async run<T>(work: (tx: Transaction) => Promise<T>, correlationId = currentRequestId(), options: { changesCallerReads?: boolean } = {}): Promise<T> {
    // The relay publishes later, outside this async context: the trace context goes into the rows.
    const trace = Tracing.enabled ? traceHeaders() : undefined;
    // A caller's write marks them before and after the commit: their next reads stay on the
    // primary (read-your-own-writes, docs/scaling.md "Postgres standby"). Consumers have no caller.
    const callerId = options.changesCallerReads === false ? undefined : currentCallerId();
    await this.recentWrites.mark(callerId);
    const result = await this.dataSource.transaction((manager) =>
      work(new Transaction(manager, this.schema, this.service as Producer, correlationId, trace)),
    );
    await this.recentWrites.mark(callerId);
    this.relay.wake();
    return result;
  }
}
