/**
 * The reliable-messaging platform against the real Postgres and Kafka:
 * outbox relay, idempotent inbox, bounded retries and dead letters.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Controller, type INestApplication } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { buildEnvelope, deadLetterTopic, EventHeaders, Topics } from '@app/contracts';
import {
  ConfigModule,
  createLogger,
  createMessagingTables,
  createWorkerLeaseTable,
  DatabaseModule,
  databaseEnv,
  EventInbox,
  InboxPruner,
  kafkaConsumerOptions,
  kafkaEnv,
  loadConfig,
  LoggingModule,
  MessagingModule,
  serviceEnv,
  UnitOfWork,
  WorkerLease,
} from '@app/platform';
import { Kafka, type Producer } from 'kafkajs';
import type pg from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { adminPool } from '../support/db.js';
import { kafkaBrokers, setting } from '../support/env.js';
import { eventually } from '../support/eventually.js';

const suffix = randomBytes(4).toString('hex');
const schema = `it_messaging_${suffix}`;
const group = `it-messaging-${suffix}`;
const MAX_ATTEMPTS = 3;

class CreateTestTables1764300000001 implements MigrationInterface {
  name = 'CreateTestTables1764300000001';
  async up(runner: QueryRunner): Promise<void> {
    await createMessagingTables(runner, schema);
    await createWorkerLeaseTable(runner, schema);
    await runner.query(`CREATE TABLE "${schema}".effects (event_id uuid NOT NULL, user_id bigint NOT NULL, username text NOT NULL)`);
  }
  async down(): Promise<void> {}
}

/** A consumer like the services' own: records each applied event as an effect row. */
@Controller()
class EffectsConsumer {
  constructor(private readonly inbox: EventInbox) {}

  @EventPattern(Topics.users)
  onUserEvent(@Ctx() context: KafkaContext) {
    return this.inbox.consume<typeof Topics.users>(context, {
      'user.registered': async (event, tx) => {
        if (event.data.username.startsWith('poison_')) throw new Error(`cannot apply ${event.data.username}`);
        await tx.manager.query(`INSERT INTO "${schema}".effects (event_id, user_id, username) VALUES ($1, $2, $3)`, [event.id, event.data.userId, event.data.username]);
      },
    });
  }
}

function userId(): string {
  return `7${BigInt(`0x${randomBytes(6).toString('hex')}`).toString().padStart(15, '0')}`;
}

function registered(id: string, username: string) {
  return buildEnvelope({
    id: randomUUID(),
    type: 'user.registered',
    producer: 'users',
    aggregateId: id,
    data: { userId: id, username, displayName: username, createdAt: new Date().toISOString() },
    occurredAt: new Date(),
  });
}

describe('reliable messaging (real Postgres and Kafka)', () => {
  let app: INestApplication;
  let db: pg.Pool;
  let kafka: Kafka;
  let producer: Producer;

  const effectsFor = async (username: string) =>
    (await db.query<{ event_id: string }>(`SELECT event_id FROM "${schema}".effects WHERE username = $1`, [username])).rows;
  const waitForEffect = (username: string) =>
    eventually(async () => ((await effectsFor(username)).length > 0 ? true : undefined), { timeoutMs: 45_000, what: `effect of ${username}` });

  beforeAll(async () => {
    db = adminPool();
    await db.query(`CREATE SCHEMA "${schema}"`);
    kafka = new Kafka({ clientId: `it-${suffix}`, brokers: kafkaBrokers, logLevel: 1 });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: deadLetterTopic(Topics.users, group), numPartitions: 1 }] });
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();

    const config = loadConfig(serviceEnv.extend(databaseEnv.shape).extend(kafkaEnv.shape), {
      PORT: '1',
      DATABASE_HOST: setting('DATABASE_HOST', '127.0.0.1'),
      DATABASE_PORT: setting('DATABASE_PORT', '5432'),
      DATABASE_NAME: setting('DATABASE_NAME', 'warble'),
      DATABASE_USER: 'postgres',
      KAFKA_BROKERS: kafkaBrokers.join(','),
      KAFKA_HANDLER_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      KAFKA_HANDLER_BACKOFF_MS: '20',
      OUTBOX_POLL_MS: '50',
    });
    const logger = createLogger('it-messaging', 'silent');
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forValue('users', config),
        LoggingModule.forLogger(logger),
              DatabaseModule.forService({ schema, entities: [], migrations: [CreateTestTables1764300000001] }),
        MessagingModule.forService({ consumerGroup: group }),
      ],
      controllers: [EffectsConsumer],
    }).compile();
    app = moduleRef.createNestApplication(new FastifyAdapter());
    app.connectMicroservice(kafkaConsumerOptions(config, group, logger), { inheritAppConfig: true });
    await app.startAllMicroservices();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await producer?.disconnect();
    await db?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db?.end();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.deleteTopics({ topics: [deadLetterTopic(Topics.users, group)] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('publishes committed outbox events and never those of a rolled-back transaction', async () => {
    const unitOfWork = app.get(UnitOfWork);
    const id = userId();
    const rolledBack = `rolled_${suffix}`;
    const committed = `committed_${suffix}`;
    await expect(
      unitOfWork.run(async (tx) => {
        await tx.publish({ type: 'user.registered', key: id, data: { userId: id, username: rolledBack, displayName: 'x', createdAt: new Date().toISOString() } });
        throw new Error('business rule failed after the event was written');
      }),
    ).rejects.toThrow('business rule failed');
    await unitOfWork.run((tx) =>
      tx.publish({ type: 'user.registered', key: id, data: { userId: id, username: committed, displayName: 'x', createdAt: new Date().toISOString() } }),
    );

    await waitForEffect(committed);
    // Same key, same partition, so the rolled-back event would have arrived first.
    expect(await effectsFor(rolledBack)).toHaveLength(0);
    const backlog = await db.query(`SELECT count(*)::int AS n FROM "${schema}".outbox`);
    expect(backlog.rows[0].n).toBe(0);
  });

  it('applies a message delivered twice only once', async () => {
    const id = userId();
    const duplicate = registered(id, `dup_${suffix}`);
    const sentinel = registered(id, `after_dup_${suffix}`);
    const message = (envelope: object) => ({ key: id, value: JSON.stringify(envelope), headers: { [EventHeaders.eventType]: 'user.registered' } });
    await producer.send({ topic: Topics.users, messages: [message(duplicate), message(duplicate), message(sentinel)] });

    await waitForEffect(`after_dup_${suffix}`);
    const effects = await effectsFor(`dup_${suffix}`);
    expect(effects).toEqual([{ event_id: duplicate.id }]);
    const processed = await db.query(`SELECT count(*)::int AS n FROM "${schema}".processed_events WHERE event_id = $1`, [duplicate.id]);
    expect(processed.rows[0].n).toBe(1);
  });

  it('dead-letters poison messages with the reason and goes on with the next one', async () => {
    const id = userId();
    const failing = registered(id, `poison_${suffix}`);
    const badPayload = { ...registered(id, 'x'), data: { userId: 'not-an-id' } };
    const next = registered(id, `after_poison_${suffix}`);
    await producer.send({
      topic: Topics.users,
      messages: [
        { key: id, value: '{ this is not json', headers: { [EventHeaders.correlationId]: `corr-${suffix}` } },
        { key: id, value: JSON.stringify(badPayload) },
        { key: id, value: JSON.stringify(failing) },
        { key: id, value: JSON.stringify(next) },
      ],
    });

    await waitForEffect(`after_poison_${suffix}`);
    expect(await effectsFor(`poison_${suffix}`)).toHaveLength(0);

    const dead = await readTopic(kafka, deadLetterTopic(Topics.users, group), (m) => m.key === id, 3);
    expect(dead).toHaveLength(3);
    const [notJson, invalid, handlerFailure] = dead;
    expect(notJson.value).toBe('{ this is not json');
    expect(notJson.headers[EventHeaders.dlqError]).toMatch(/undecodable/);
    expect(notJson.headers[EventHeaders.correlationId]).toBe(`corr-${suffix}`);
    expect(notJson.headers[EventHeaders.dlqOriginalTopic]).toBe(Topics.users);
    expect(invalid.headers[EventHeaders.dlqError]).toMatch(/data of user.registered: userId/);
    expect(handlerFailure.headers[EventHeaders.dlqError]).toContain(`cannot apply poison_${suffix}`);
    expect(handlerFailure.headers[EventHeaders.dlqAttempts]).toBe(String(MAX_ATTEMPTS));
    expect(JSON.parse(handlerFailure.value)).toMatchObject({ id: failing.id });
  });

  it('leases distinct Snowflake worker ids to concurrent processes and frees them on shutdown', async () => {
    const logger = createLogger('it-lease', 'silent');
    const dataSource = app.get(DataSource);
    const leases = Array.from({ length: 4 }, () => new WorkerLease(dataSource, schema, logger));
    const ids = await Promise.all(leases.map((lease) => lease.acquire()));
    expect(new Set(ids).size).toBe(4);
    // Renewal keeps a lease, and only its holder can renew it.
    expect(await leases[1].renew()).toBe(true);
    await db.query(`UPDATE "${schema}".worker_leases SET holder = 'someone else' WHERE worker_id = $1`, [ids[2]]);
    expect(await leases[2].renew()).toBe(false);
    await leases[0].onApplicationShutdown();
    // The freed id is the lowest free one again, so the next process gets it.
    const next = new WorkerLease(dataSource, schema, logger);
    expect(await next.acquire()).toBe(ids[0]);
    await Promise.all([next, ...leases.slice(1)].map((lease) => lease.onApplicationShutdown()));
  });

  it('prunes processed event ids older than the retention, and only those', async () => {
    const [old, recent] = [randomUUID(), randomUUID()];
    await db.query(
      `INSERT INTO "${schema}".processed_events (event_id, event_type, processed_at) VALUES ($1, 'user.registered', now() - interval '15 days'), ($2, 'user.registered', now() - interval '13 days')`,
      [old, recent],
    );
    expect(await app.get(InboxPruner).prune()).toBeGreaterThanOrEqual(1);
    const left = await db.query<{ event_id: string }>(`SELECT event_id FROM "${schema}".processed_events WHERE event_id = ANY($1::uuid[])`, [[old, recent]]);
    expect(left.rows.map((row) => row.event_id)).toEqual([recent]);
  });
});

interface ReadMessage {
  key: string | undefined;
  value: string;
  headers: Record<string, string>;
}

/** Reads a topic from the beginning with a throw-away group until `count` matching messages arrived. */
async function readTopic(kafka: Kafka, topic: string, match: (m: ReadMessage) => boolean, count: number): Promise<ReadMessage[]> {
  const consumer = kafka.consumer({ groupId: `it-reader-${randomBytes(4).toString('hex')}` });
  const found: ReadMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      const read: ReadMessage = {
        key: message.key?.toString(),
        value: message.value?.toString() ?? '',
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
      };
      if (match(read)) found.push(read);
      return Promise.resolve();
    },
  });
  try {
    await eventually(() => (found.length >= count ? true : undefined), { timeoutMs: 30_000, what: `${count} messages on ${topic}` });
    return found;
  } finally {
    await consumer.disconnect();
  }
}

