import { CustomerAssociatedV1, Topics, physicalTopic } from '@settle/contracts';
import { createServiceDataSource, migrate } from '@settle/persistence';
import { createLogger } from '@settle/platform';
import { TopicProbe, dropSchemas, testInfrastructure, testNamespace, waitFor } from '@settle/testing';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MessagingEntities } from '../index';
import { createIdempotentProducer, createKafka } from '../kafka/kafka-client';
import { provisionTopics } from '../kafka/topic-provisioning';
import { MessagingMigrations } from '../messaging-tables.migration';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';

const logger = createLogger('relay-crash-test', 'silent');
const ns = testNamespace();
const schema = `${ns.schemaPrefix}relay_crash`;
let dataSource: DataSource;
let databaseUrl: string;
let brokers: string[];

beforeAll(async () => {
  const infra = await testInfrastructure();
  databaseUrl = infra.databaseUrl;
  brokers = infra.kafkaBrokers;
  const options = { service: 'relay-crash-test', url: databaseUrl, schema, entities: MessagingEntities, migrations: MessagingMigrations };
  await migrate(options);
  dataSource = createServiceDataSource(options);
  await dataSource.initialize();
  const admin = createKafka({ clientId: 'relay-crash-test', brokers, logger }).admin();
  await admin.connect();
  await provisionTopics(admin, { prefix: ns.topicPrefix });
  await admin.disconnect();
});

afterAll(async () => {
  await dataSource?.destroy();
  if (databaseUrl) await dropSchemas(databaseUrl, [schema]);
});

describe('the outbox relay killed between publish and mark', () => {
  it('loses nothing: the event is published again on restart and then marked', async () => {
    const writer = new OutboxWriter('customer-service', schema);
    const data = {
      association_id: randomUUID(),
      partner_id: 'partner-crash',
      customer_id: 'customer-crash',
      association_type: 1 as const,
      effective_from: new Date().toISOString(),
    };
    const event = await dataSource.transaction((manager) => writer.append(manager, CustomerAssociatedV1, data, { partitionKey: 'partner-crash' }));

    const fixture = join(__dirname, '..', 'testing', 'relay-killed-after-publish.fixture.ts');
    const child = spawnSync(process.execPath, ['-r', '@swc-node/register', fixture], {
      env: { ...process.env, DATABASE_URL: databaseUrl, SCHEMA: schema, KAFKA_BROKERS: brokers.join(','), TOPIC_PREFIX: ns.topicPrefix },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).toContain('published; dying before mark');

    const [before] = await dataSource.query('SELECT published_at FROM outbox WHERE event_id = $1', [event.id]);
    expect(before.published_at).toBeNull();

    const producer = createIdempotentProducer(createKafka({ clientId: 'relay-restarted', brokers, logger }));
    await producer.connect();
    const relay = new OutboxRelay(dataSource, producer, { service: 'customer-service', schema, databaseUrl, topicPrefix: ns.topicPrefix, logger });
    const probe = await new TopicProbe(brokers, [physicalTopic(Topics.CustomerEvents, ns.topicPrefix)], `${ns.topicPrefix}probe-crash`).start();
    try {
      expect(await relay.publishBatch()).toBe(1);
      const [after] = await dataSource.query('SELECT published_at FROM outbox WHERE event_id = $1', [event.id]);
      expect(after.published_at).not.toBeNull();
      // At least once: the killed relay's copy and the restarted relay's copy, one event id.
      const copies = await waitFor(() => {
        const found = probe.messages.filter((m) => m.headers.ce_id === event.id);
        return found.length >= 2 ? found : undefined;
      }, 'both copies of the event');
      expect(copies.map((m) => JSON.parse(m.value!))).toEqual([data, data]);
      expect(await relay.publishBatch()).toBe(0);
    } finally {
      await probe.stop();
      await producer.disconnect();
    }
  });
});
