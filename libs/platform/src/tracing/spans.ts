import type { IncomingHttpHeaders } from 'node:http';
import { type Context, context, type Span, SpanKind, type SpanOptions, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { contextFromHttpHeaders, contextFromKafkaHeaders } from './propagation.js';
import { Tracing } from './tracing.js';
import type { IHeaders } from 'kafkajs';

/**
 * Messaging attributes of the semantic conventions. They are still marked
 * "development" there, so they are spelled out here instead of importing the
 * unstable `incubating` entry point.
 */
export const MessagingAttributes = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  partition: 'messaging.destination.partition.id',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  consumerGroup: 'messaging.consumer.group.name',
  messageId: 'messaging.message.id',
  kafkaKey: 'messaging.kafka.message.key',
  kafkaOffset: 'messaging.kafka.offset',
} as const;

/** Warble's own span attributes. */
export const WarbleAttributes = {
  requestId: 'warble.request_id',
  eventType: 'warble.event.type',
  inboxOutcome: 'warble.inbox.outcome',
} as const;

/** Runs `fn` with `span` active on top of `parent`: spans and outbox rows made inside become its children. */
export function withSpan<T>(span: Span, parent: Context, fn: () => T): T {
  return context.with(trace.setSpan(parent, span), fn);
}

/** Marks a span failed, keeping the error as an exception event. */
export function failSpan(span: Span, error: unknown, errorType?: string): void {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error) span.recordException(error);
  span.setAttribute(ATTR_ERROR_TYPE, errorType ?? (error instanceof Error ? error.name : 'error'));
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/** Runs an async step in a new span (child of the active one) that ends when the step settles; a throw fails the span. */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = context.active();
  const span = Tracing.tracer.startSpan(name, options, parent);
  try {
    return await withSpan(span, parent, () => fn(span));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * The SERVER span of one HTTP request, child of the caller's span when the
 * request carries `traceparent`. Named `METHOD route-template` (low
 * cardinality); an unmatched request is named by its method alone.
 */
export function startServerSpan(
  method: string,
  route: string | undefined,
  url: string,
  headers: IncomingHttpHeaders,
  requestId: string,
): { span: Span; parent: Context } {
  const parent = contextFromHttpHeaders(headers);
  const query = url.indexOf('?');
  const span = Tracing.tracer.startSpan(
    route ? `${method} ${route}` : method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_URL_PATH]: query < 0 ? url : url.slice(0, query),
        [WarbleAttributes.requestId]: requestId,
        ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}),
      },
    },
    parent,
  );
  return { span, parent };
}

/** Ends a SERVER span with its status code; 5xx is an error of this server, 4xx is not. */
export function endServerSpan(span: Span, statusCode: number): void {
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
  if (statusCode >= 500) {
    span.setAttribute(ATTR_ERROR_TYPE, String(statusCode));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** Where a consumed message came from. */
export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | undefined;
  headers: IHeaders | undefined;
}

/**
 * The CONSUMER span of one Kafka message, child of the producer's span named
 * in the message's headers (a root span when it has none).
 */
export function startConsumerSpan(message: ConsumedMessage, group: string): { span: Span; parent: Context } {
  const parent = contextFromKafkaHeaders(message.headers);
  const span = Tracing.tracer.startSpan(
    `process ${message.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        [MessagingAttributes.system]: 'kafka',
        [MessagingAttributes.operationType]: 'process',
        [MessagingAttributes.operationName]: 'process',
        [MessagingAttributes.destination]: message.topic,
        [MessagingAttributes.partition]: String(message.partition),
        [MessagingAttributes.consumerGroup]: group,
        [MessagingAttributes.kafkaOffset]: Number(message.offset),
        ...(message.key === undefined ? {} : { [MessagingAttributes.kafkaKey]: message.key }),
      },
    },
    parent,
  );
  return { span, parent };
}

/** What the relay knows of one outbox row it is about to send. */
export interface ProducedMessage {
  topic: string;
  key: string;
  eventId: string;
  eventType: string;
  /** When the row was written: the span covers the wait in the outbox and the send. */
  writtenAt: Date;
}

/** The PRODUCER span of one outbox row's send, child of the span that wrote the row. */
export function startProducerSpan(message: ProducedMessage, parent: Context): Span {
  return Tracing.tracer.startSpan(
    `send ${message.topic}`,
    {
      kind: SpanKind.PRODUCER,
      startTime: message.writtenAt,
      attributes: {
        [MessagingAttributes.system]: 'kafka',
        [MessagingAttributes.operationType]: 'send',
        [MessagingAttributes.operationName]: 'send',
        [MessagingAttributes.destination]: message.topic,
        [MessagingAttributes.kafkaKey]: message.key,
        [MessagingAttributes.messageId]: message.eventId,
        [WarbleAttributes.eventType]: message.eventType,
      },
    },
    parent,
  );
}

/** Trace and span id of the active span, for log lines; undefined when none is active. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getSpan(context.active());
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
