import { CustomerAssociatedV1, deadLetterTopicOf, physicalTopic, Topics } from '@settle/contracts';
import { createServiceDataSource, migrate } from '@settle/persistence';
import { createLogger } from '@settle/platform';
import { TopicProbe, dropSchemas, testInfrastructure, testNamespace, waitFor } from '@settle/testing';
import { Kafka, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { encodeEvent } from './cloudevents/cloud-event.codec';
import { DeadLetterHeaders, EventConsumer, RejectedEventError, on } from './inbox/event-consumer';
import { createIdempotentProducer, createKafka } from './kafka/kafka-client';
import { provisionTopics } from './kafka/topic-provisioning';
import { MessagingTables1763769600000 } from './messaging-tables.migration';
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

beforeAll(async () => {
  const infra = await testInfrastructure();
  databaseUrl = infra.databaseUrl;
  brokers = infra.kafkaBrokers;
  const options = { service: 'messaging-test', url: databaseUrl, schema, entities: MessagingEntities, migrations: [MessagingTables1763769600000] };
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
