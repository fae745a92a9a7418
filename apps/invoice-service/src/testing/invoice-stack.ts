import { EventDefinition, Topics, deadLetterTopicOf } from '@settle/contracts';
import { createKafka, encodeEvent } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import { ServiceStack, startServiceStack } from '@settle/service-kit/testing';
import { waitFor } from '@settle/testing';
import { Consumer, KafkaMessage, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { InvoiceService } from '../invoice-service';

/**
 * invoice-service as its users reach it, for integration tests: the service in this process on a
 * fresh schema, customer-service beside it as a real process (partners, keys, partner events), the
 * real gateway in front; invoice events collected from the real Kafka. The events of the services
 * around it that are not started here (incentive-service's payouts, billing's payments) are
 * published straight to the stack's topics, as their producers would publish them.
 */
export type InvoiceStack = ServiceStack & {
  /** Publishes `data` as an event of `definition` keyed by the partner; returns the event id. */
  publish(definition: EventDefinition, data: Record<string, unknown>, options: { key: string; eventId?: string; source: string }): Promise<string>;
  /** Waits until invoice-service's partner projection knows the partner (optionally: until `where` holds). */
  knowsPartner(partnerId: string, where?: (profile: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Completes the partner's business information certification in customer-service and waits until invoice-service knows it. */
  certify(partnerId: string): Promise<void>;
  /** Waits until invoice-service's consumer group has handled the event id. */
  processed(groupId: string, eventId: string): Promise<void>;
  /** The dead letters written so far for the `deadLetterTopics` the stack was started with. */
  readonly deadLetters: KafkaMessage[];
};

export async function startInvoiceStack(extraEnv: NodeJS.ProcessEnv = {}, options: { deadLetterTopics?: string[] } = {}): Promise<InvoiceStack> {
  const stack = await startServiceStack({ service: InvoiceService, companions: ['customer-service'], probeTopics: [Topics.InvoiceEvents], env: extraEnv });
  const kafka = createKafka({ clientId: 'invoice-stack-producer', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logger: createLogger('test', 'silent') });
  const producer: Producer = kafka.producer();
  await producer.connect();
  const deadLetters: KafkaMessage[] = [];
  let dlt: Consumer | undefined;
  if (options.deadLetterTopics?.length) {
    dlt = kafka.consumer({ groupId: `${stack.topic('invoice-stack-dlt')}-${randomUUID()}` });
    await dlt.connect();
    await dlt.subscribe({ topics: options.deadLetterTopics.map((t) => deadLetterTopicOf(stack.topic(t))), fromBeginning: true });
    await dlt.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
  }
  const knowsPartner: InvoiceStack['knowsPartner'] = (partnerId, where = () => true) =>
    waitFor(async () => {
      const res = await stack.operator('GET', `/operator/invoices/partners/${partnerId}`);
      return res.status === 200 && where(res.body) ? (res.body as Record<string, unknown>) : undefined;
    }, `invoice-service to know partner ${partnerId}`);
  return {
    ...stack,
    async publish(definition, data, { key, eventId = randomUUID(), source }) {
      const message = encodeEvent({ id: eventId, type: definition.type, source, time: new Date().toISOString(), partitionKey: key, subject: key, data });
      await producer.send({ topic: stack.topic(definition.topic), acks: -1, messages: [message] });
      return eventId;
    },
    knowsPartner,
    deadLetters,
    async certify(partnerId) {
      const res = await stack.operator('PATCH', `/operator/partners/${partnerId}`, { body: { certification_status: 'certified' } });
      if (res.status !== 200) throw new Error(`certifying answered ${res.status}: ${JSON.stringify(res.body)}`);
      await knowsPartner(partnerId, (p) => p.certification_status === 'certified');
    },
    async processed(groupId, eventId) {
      await waitFor(async () => {
        const rows = await stack.dataSource.query(`SELECT 1 FROM processed_events WHERE consumer_group = $1 AND event_id = $2`, [groupId, eventId]);
        return rows.length > 0;
      }, `invoice-service to process event ${eventId}`);
    },
    async close() {
      await dlt?.disconnect();
      await producer.disconnect();
      await stack.close();
    },
  };
}
