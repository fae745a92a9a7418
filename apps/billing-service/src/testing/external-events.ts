import { EventDefinition, deadLetterTopicOf } from '@settle/contracts';
import { createKafka, encodeEvent } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import { Consumer, KafkaMessage, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { BillingStack } from './billing-stack';

/**
 * Events as the systems around billing send them (rating systems, the incentive and marketplace
 * services): published straight to the stack's topics on the real broker, not through an outbox,
 * and the dead letters billing writes for them, collected as they arrive.
 */
export interface ExternalEvents {
  /** Publishes `data` as an event of `definition`, keyed by `key`; returns the event id. */
  publish(definition: EventDefinition, data: Record<string, unknown>, options: { key: string; eventId?: string; source?: string; subject?: string }): Promise<string>;
  /** Every dead letter of the watched topics so far. */
  readonly deadLetters: KafkaMessage[];
  close(): Promise<void>;
}

/** Starts a producer and, for `topics` (logical names), a reader of their dead-letter topics. */
export async function externalEvents(stack: BillingStack, topics: string[] = []): Promise<ExternalEvents> {
  const kafka = createKafka({ clientId: 'external-events', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logger: createLogger('test', 'silent') });
  const producer: Producer = kafka.producer();
  await producer.connect();
  const deadLetters: KafkaMessage[] = [];
  let consumer: Consumer | undefined;
  if (topics.length) {
    consumer = kafka.consumer({ groupId: `${stack.topic('external-events-dlt')}-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: topics.map((t) => deadLetterTopicOf(stack.topic(t))), fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
  }
  return {
    deadLetters,
    async publish(definition, data, { key, eventId = randomUUID(), source = '/external-system', subject }) {
      const message = encodeEvent({ id: eventId, type: definition.type, source, time: new Date().toISOString(), partitionKey: key, subject, data });
      await producer.send({ topic: stack.topic(definition.topic), acks: -1, messages: [message] });
      return eventId;
    },
    async close() {
      await consumer?.disconnect();
      await producer.disconnect();
    },
  };
}
