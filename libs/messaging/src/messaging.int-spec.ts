import { CustomerAssociatedV1, deadLetterTopicOf, physicalTopic, Topics } from '@settle/contracts';
import { bulkInsert, createServiceDataSource, migrate } from '@settle/persistence';
import { createLogger } from '@settle/platform';
import { TopicProbe, dropSchemas, testInfrastructure, testNamespace, waitFor } from '@settle/testing';
import { Kafka, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { encodeEvent } from './cloudevents/cloud-event.codec';
import { DeadLetterHeaders, EventConsumer, RejectedEventError, on, onBatch } from './inbox/event-consumer';
import { createIdempotentProducer, createKafka } from './kafka/kafka-client';
import { provisionTopics } from './kafka/topic-provisioning';
import { MessagingMigrations } from './messaging-tables.migration';
import { MessagingEntities } from './index';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxWriter } from './outbox/outbox-writer';

const logger = createLogger('messaging-test', 'silent');
const ns = testNamespace();
const schema = `${ns.schemaPrefix}messaging`;
const topic = physicalTopic(Topics.CustomerEvents, ns.topicPrefix);
const deadLetterTopic = deadLetterTopicOf(topic);

let dataSource: DataSource;
let kafka: Kafka;
let producer: Producer;
let databaseUrl: string;
let brokers: string[];

function associated(customerId: string) {
  return {
    association_id: randomUUID(),
    partner_id: 'partner-1',
    customer_id: customerId,
    association_type: 2 as const,
    effective_from: new Date().toISOString(),
  };
}

async function effects(customerId: string): Promise<number> {
  const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM test_effects WHERE customer_id = $1', [customerId]);
  return count;
}

/** A consumer whose effect is a row in test_effects; `failFor` makes the handler throw for a customer. */
function consumer(groupId: string, failFor = new Set<string>()): EventConsumer {
  return new EventConsumer(
    kafka,
    producer,
    dataSource,
    {
      groupId,
      topicPrefix: ns.topicPrefix,
      retry: { maxAttempts: 3, initialBackoffMs: 20, maxBackoffMs: 50 },
      handlers: [
        on(CustomerAssociatedV1, async (event, manager) => {
          if (failFor.has(event.data.customer_id)) throw new Error(`cannot apply ${event.data.customer_id}`);
          if (event.data.customer_id.startsWith('customer-rejected')) {
            // The effect is written first: the rejection must roll it back.
            await manager.query('INSERT INTO test_effects (event_id, customer_id) VALUES ($1, $2)', [event.id, event.data.customer_id]);
            throw new RejectedEventError(`customer ${event.data.customer_id} can never be applied`);
          }
          await manager.query('INSERT INTO test_effects (event_id, customer_id) VALUES ($1, $2)', [event.id, event.data.customer_id]);
        }),
      ],
    },
    logger,
  );
}

/**
 * A consumer with a batch handler: one multi-row insert per batch; it fails the whole batch when
 * it holds a customer of `failFor`, and rejects single events of customers named `batch-reject-*`.
 */
function batchConsumer(groupId: string, failFor = new Set<string>()): EventConsumer {
  return new EventConsumer(
    kafka,
    producer,
    dataSource,
    {
      groupId,
      topicPrefix: ns.topicPrefix,
      maxBatchSize: 500,
      retry: { maxAttempts: 2, initialBackoffMs: 10, maxBackoffMs: 20 },
      handlers: [
        onBatch(CustomerAssociatedV1, async (events, manager, context) => {
          batchSizes.push(events.length);
          if (events.some((e) => failFor.has(e.data.customer_id))) throw new Error('a poison record in this batch');
          const accepted = events.filter((e) => {
            if (!e.data.customer_id.startsWith('batch-reject')) return true;
            context.reject(e, `customer ${e.data.customer_id} can never be applied`);
            return false;
          });
          await bulkInsert(
            manager,
            'test_effects',
            [
              { name: 'event_id', type: 'uuid', value: (e: (typeof events)[number]) => e.id },
              { name: 'customer_id', type: 'text', value: (e: (typeof events)[number]) => e.data.customer_id },
            ],
            accepted,
          );
        }),
      ],
    },
    logger,
  );
}

const batchSizes: number[] = [];

function associatedEvent(customerId: string, partitionKey: string) {
  return { id: randomUUID(), type: CustomerAssociatedV1.type, source: '/settle/test', time: new Date().toISOString(), partitionKey, data: associated(customerId) };
}

async function effectsLike(prefix: string): Promise<number> {
  const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM test_effects WHERE customer_id LIKE $1', [`${prefix}%`]);
  return count;
}

beforeAll(async () => {
  const infra = await testInfrastructure();
  databaseUrl = infra.databaseUrl;
  brokers = infra.kafkaBrokers;
  const options = { service: 'messaging-test', url: databaseUrl, schema, entities: MessagingEntities, migrations: MessagingMigrations };
  await migrate(options);
  dataSource = createServiceDataSource(options);
  await dataSource.initialize();
  await dataSource.query('CREATE TABLE test_effects (event_id uuid NOT NULL, customer_id text NOT NULL)');
  kafka = createKafka({ clientId: 'messaging-test', brokers, logger });
  const admin = kafka.admin();
  await admin.connect();
  await provisionTopics(admin, { prefix: ns.topicPrefix });
  await admin.disconnect();
  producer = createIdempotentProducer(kafka);
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await dataSource?.destroy();
  if (databaseUrl) await dropSchemas(databaseUrl, [schema]);
});

describe('outbox and inbox on real PostgreSQL and Kafka', () => {
  it('publishes a committed event as a CloudEvent keyed by partner, and a consumer applies it once', async () => {
    const writer = new OutboxWriter('customer-service', schema);
    const relay = new OutboxRelay(dataSource, producer, { service: 'customer-service', schema, databaseUrl, topicPrefix: ns.topicPrefix, logger, pollMs: 50 });
    const probe = await new TopicProbe(brokers, [topic], `${ns.topicPrefix}probe-1`).start();
    const c = consumer('test.consumer-1');
    await c.start();
    await relay.start();
    try {
      const data = associated('customer-a');
      const event = await dataSource.transaction((manager) => writer.append(manager, CustomerAssociatedV1, data, { partitionKey: 'partner-1', subject: 'customer-a' }));

      const seen = await waitFor(() => probe.messages.find((m) => m.headers.ce_id === event.id), 'the event on the topic');
      expect(seen.key).toBe('partner-1');
      expect(seen.headers).toMatchObject({
        ce_specversion: '1.0',
        ce_type: 'settle.customer.associated.v1',
        ce_source: '/settle/customer-service',
        ce_subject: 'customer-a',
        'content-type': 'application/json',
      });
      expect(JSON.parse(seen.value!)).toEqual(data);
      await waitFor(async () => (await effects('customer-a')) === 1, 'the consumer effect');
      const [row] = await dataSource.query('SELECT published_at FROM outbox WHERE event_id = $1', [event.id]);
      expect(row.published_at).not.toBeNull();
    } finally {
      await relay.stop();
      await c.stop();
      await probe.stop();
    }
  });

  it('does not publish an event whose transaction rolled back', async () => {
    const writer = new OutboxWriter('customer-service', schema);
    await expect(
      dataSource.transaction(async (manager) => {
        await writer.append(manager, CustomerAssociatedV1, associated('customer-rolled-back'), { partitionKey: 'partner-1' });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM outbox WHERE data->>'customer_id' = 'customer-rolled-back'`);
    expect(count).toBe(0);
  });

  it('refuses an event whose data breaks its schema, before anything is written', async () => {
    const writer = new OutboxWriter('customer-service', schema);
    await expect(
      dataSource.transaction((manager) =>
        writer.append(manager, CustomerAssociatedV1, { ...associated('x'), association_type: 7 } as never, { partitionKey: 'partner-1' }),
      ),
    ).rejects.toThrow(/association_type/);
  });

  it('changes nothing when the same event is delivered twice', async () => {
    const c = consumer('test.consumer-dup');
    await c.start();
    try {
      const event = { id: randomUUID(), type: CustomerAssociatedV1.type, source: '/settle/test', time: new Date().toISOString(), partitionKey: 'partner-1', data: associated('customer-dup') };
      const message = encodeEvent(event);
      await producer.send({ topic, messages: [message] });
      await producer.send({ topic, messages: [message] });
      const marker = associated('customer-dup-marker');
      await producer.send({ topic, messages: [encodeEvent({ ...event, id: randomUUID(), data: marker })] });
      await waitFor(async () => (await effects('customer-dup-marker')) === 1, 'the marker event after the duplicate');
      expect(await effects('customer-dup')).toBe(1);
    } finally {
      await c.stop();
    }
  });

  it('dead-letters a malformed message and an invalid one with the reason, and keeps processing the partition', async () => {
    const probe = await new TopicProbe(brokers, [deadLetterTopic], `${ns.topicPrefix}probe-dlt`).start();
    const c = consumer('test.consumer-poison');
    await c.start();
    try {
      // Same key, so the same partition: the valid event comes after the poison ones.
      await producer.send({ topic, messages: [{ key: 'partner-9', value: 'not json at all', headers: { ce_specversion: '1.0', ce_id: randomUUID(), ce_type: CustomerAssociatedV1.type, ce_source: '/x' } }] });
      await producer.send({ topic, messages: [{ key: 'partner-9', value: '{}' }] });
      const invalid = encodeEvent({ id: randomUUID(), type: CustomerAssociatedV1.type, source: '/x', time: new Date().toISOString(), partitionKey: 'partner-9', data: { customer_id: 'c' } });
      await producer.send({ topic, messages: [invalid] });
      const valid = encodeEvent({ id: randomUUID(), type: CustomerAssociatedV1.type, source: '/x', time: new Date().toISOString(), partitionKey: 'partner-9', data: associated('customer-after-poison') });
      await producer.send({ topic, messages: [valid] });

      await waitFor(async () => (await effects('customer-after-poison')) === 1, 'the valid event after the poison messages');
      const dead = await waitFor(() => (probe.messages.length >= 3 ? probe.messages : undefined), 'three dead letters');
      const reasons = dead.map((m) => m.headers[DeadLetterHeaders.Reason]).sort();
      expect(reasons).toEqual(['invalid-data', 'malformed', 'malformed']);
      for (const m of dead) {
        expect(m.headers[DeadLetterHeaders.OriginalTopic]).toBe(topic);
        expect(m.headers[DeadLetterHeaders.ConsumerGroup]).toBe('test.consumer-poison');
        expect(m.headers[DeadLetterHeaders.OriginalOffset]).toMatch(/^\d+$/);
        expect(m.headers[DeadLetterHeaders.Error]).toBeTruthy();
      }
      expect(dead.find((m) => m.headers[DeadLetterHeaders.Reason] === 'invalid-data')!.headers[DeadLetterHeaders.Error]).toMatch(/association_id/);
    } finally {
      await c.stop();
      await probe.stop();
    }
  });

  it('retries a failing handler with backoff, then dead-letters the event with the attempt count and moves on', async () => {
    const probe = await new TopicProbe(brokers, [deadLetterTopic], `${ns.topicPrefix}probe-dlt-2`).start();
    const c = consumer('test.consumer-failing', new Set(['customer-always-fails']));
    await c.start();
    try {
      const failing = { id: randomUUID(), type: CustomerAssociatedV1.type, source: '/x', time: new Date().toISOString(), partitionKey: 'partner-8', data: associated('customer-always-fails') };
      await producer.send({ topic, messages: [encodeEvent(failing)] });
      await producer.send({ topic, messages: [encodeEvent({ ...failing, id: randomUUID(), data: associated('customer-after-failure') })] });
      await waitFor(async () => (await effects('customer-after-failure')) === 1, 'the event after the failing one');
      const dead = await waitFor(() => probe.messages.find((m) => m.headers.ce_id === failing.id), 'the failing event on the dead-letter topic');
      expect(dead.headers).toMatchObject({
        [DeadLetterHeaders.Reason]: 'handler-failed',
        [DeadLetterHeaders.Attempts]: '3',
        [DeadLetterHeaders.Error]: 'cannot apply customer-always-fails',
      });
      expect(await effects('customer-always-fails')).toBe(0);
    } finally {
      await c.stop();
      await probe.stop();
    }
  });

  it('dead-letters an event its handler rejects at once, without retries, rolling back its effect', async () => {
    const probe = await new TopicProbe(brokers, [deadLetterTopic], `${ns.topicPrefix}probe-dlt-3`).start();
    const c = consumer('test.consumer-rejecting');
    await c.start();
    try {
      const rejected = { id: randomUUID(), type: CustomerAssociatedV1.type, source: '/x', time: new Date().toISOString(), partitionKey: 'partner-9', data: associated('customer-rejected-1') };
      await producer.send({ topic, messages: [encodeEvent(rejected)] });
      await producer.send({ topic, messages: [encodeEvent({ ...rejected, id: randomUUID(), data: associated('customer-after-rejection') })] });
      await waitFor(async () => (await effects('customer-after-rejection')) === 1, 'the event after the rejected one');
      const dead = await waitFor(() => probe.messages.find((m) => m.headers.ce_id === rejected.id), 'the rejected event on the dead-letter topic');
      expect(dead.headers).toMatchObject({
        [DeadLetterHeaders.Reason]: 'rejected',
        [DeadLetterHeaders.Attempts]: '1',
        [DeadLetterHeaders.Error]: 'customer customer-rejected-1 can never be applied',
      });
      expect(await effects('customer-rejected-1')).toBe(0);
    } finally {
      await c.stop();
      await probe.stop();
    }
  });
});

describe('batches on real PostgreSQL and Kafka', () => {
  it('applies a fetched batch in few transactions, isolates one poison record in the middle, dead-letters exactly it and stores the rest', async () => {
    const probe = await new TopicProbe(brokers, [deadLetterTopic], `${ns.topicPrefix}probe-batch-1`).start();
    const c = batchConsumer('test.batch-poison', new Set(['bp-poison']));
    batchSizes.length = 0;
    try {
      // One send, one key: one partition, fetched as one batch once the consumer starts.
      const events = Array.from({ length: 300 }, (_, i) => associatedEvent(i === 150 ? 'bp-poison' : `bp-${i}`, 'partner-batch-1'));
      await producer.send({ topic, messages: events.map(encodeEvent) });
      await c.start();
      await waitFor(async () => (await effectsLike('bp-')) === 299, 'the 299 good records');
      const dead = await waitFor(() => probe.messages.find((m) => m.headers.ce_id === events[150].id), 'the poison record on the dead-letter topic');
      expect(dead.headers).toMatchObject({ [DeadLetterHeaders.Reason]: 'handler-failed', [DeadLetterHeaders.Attempts]: '2', [DeadLetterHeaders.Error]: 'a poison record in this batch' });
      const ours = new Set<string>(events.map((e) => e.id));
      expect(probe.messages.filter((m) => m.headers[DeadLetterHeaders.ConsumerGroup] === 'test.batch-poison' && ours.has(m.headers.ce_id))).toHaveLength(1);
      expect(await effects('bp-poison')).toBe(0);
      // Whole batches were handed to the handler, not one event at a time.
      expect(Math.max(...batchSizes)).toBeGreaterThan(100);
      const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM processed_events WHERE consumer_group = 'test.batch-poison' AND event_id = ANY($1::uuid[])`, [
        [...ours],
      ]);
      expect(count).toBe(299);
    } finally {
      await c.stop();
      await probe.stop();
    }
  });

  it('dead-letters the events a batch handler rejects, applies the others in the same transaction, and leaves the rejected replayable', async () => {
    const probe = await new TopicProbe(brokers, [deadLetterTopic], `${ns.topicPrefix}probe-batch-2`).start();
    const c = batchConsumer('test.batch-reject');
    await c.start();
    try {
      const events = [associatedEvent('br-1', 'partner-batch-2'), associatedEvent('batch-reject-1', 'partner-batch-2'), associatedEvent('br-2', 'partner-batch-2')];
      await producer.send({ topic, messages: events.map(encodeEvent) });
      await waitFor(async () => (await effectsLike('br-')) === 2, 'the two accepted events');
      const dead = await waitFor(() => probe.messages.find((m) => m.headers.ce_id === events[1].id), 'the rejected event on the dead-letter topic');
      expect(dead.headers).toMatchObject({ [DeadLetterHeaders.Reason]: 'rejected', [DeadLetterHeaders.Error]: 'customer batch-reject-1 can never be applied' });
      expect(await effects('batch-reject-1')).toBe(0);
      const recorded: { event_id: string }[] = await dataSource.query(`SELECT event_id FROM processed_events WHERE consumer_group = 'test.batch-reject' AND event_id = ANY($1::uuid[])`, [
        events.map((e) => e.id),
      ]);
      expect(recorded.map((r) => r.event_id).sort()).toEqual([events[0].id, events[2].id].sort());
    } finally {
      await c.stop();
      await probe.stop();
    }
  });

  it('changes nothing when a batch is redelivered after its transaction committed but before its offsets were (offsets rewound to 0)', async () => {
    const groupId = 'test.batch-redelivery';
    const events = Array.from({ length: 120 }, (_, i) => associatedEvent(`bd-${i}`, 'partner-batch-3'));
    await producer.send({ topic, messages: events.map(encodeEvent) });
    const first = batchConsumer(groupId);
    await first.start();
    await waitFor(async () => (await effectsLike('bd-')) === 120, 'the first delivery applied');
    await first.stop();
    // The state a crash between the commit and the offset commit leaves: effects in PostgreSQL, offsets behind.
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: first.physicalGroupId, topic, earliest: true });
    await admin.disconnect();
    const second = batchConsumer(groupId);
    await second.start();
    try {
      const marker = associatedEvent('bd-marker', 'partner-batch-3');
      await producer.send({ topic, messages: [encodeEvent(marker)] });
      await waitFor(async () => (await effects('bd-marker')) === 1, 'the marker after the redelivered batch');
      expect(await effectsLike('bd-')).toBe(121);
      const [{ count }] = await dataSource.query(`SELECT count(DISTINCT event_id)::int AS count FROM test_effects WHERE customer_id LIKE 'bd-%'`);
      expect(count).toBe(121);
    } finally {
      await second.stop();
    }
  });
});
