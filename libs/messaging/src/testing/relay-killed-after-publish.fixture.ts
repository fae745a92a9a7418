// Test fixture: a relay process that is killed (SIGKILL, no clean-up of any kind) right after
// Kafka acknowledged a batch and before the batch is marked as published.
import 'reflect-metadata';
import { createServiceDataSource } from '@settle/persistence';
import { createLogger } from '@settle/platform';
import { MessagingEntities } from '../index';
import { createIdempotentProducer, createKafka } from '../kafka/kafka-client';
import { OutboxRelay } from '../outbox/outbox-relay';

async function main(): Promise<void> {
  const { DATABASE_URL, SCHEMA, KAFKA_BROKERS, TOPIC_PREFIX } = process.env as Record<string, string>;
  const logger = createLogger('relay-fixture', 'silent');
  const dataSource = createServiceDataSource({ service: 'relay-fixture', url: DATABASE_URL, schema: SCHEMA, entities: MessagingEntities, migrations: [] });
  await dataSource.initialize();
  const producer = createIdempotentProducer(createKafka({ clientId: 'relay-fixture', brokers: KAFKA_BROKERS.split(','), logger }));
  await producer.connect();
  const relay = new OutboxRelay(dataSource, producer, {
    service: 'customer-service',
    schema: SCHEMA,
    databaseUrl: DATABASE_URL,
    topicPrefix: TOPIC_PREFIX,
    logger,
    afterPublish: () => {
      process.stdout.write('published; dying before mark\n');
      process.kill(process.pid, 'SIGKILL');
      return new Promise(() => undefined);
    },
  });
  await relay.publishBatch();
}

void main();
