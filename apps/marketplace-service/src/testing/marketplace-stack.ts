import { EventDefinition, Topics, deadLetterTopicOf } from '@settle/contracts';
import { createKafka, encodeEvent } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import { ServiceStack, startServiceStack } from '@settle/service-kit/testing';
import { waitFor } from '@settle/testing';
import { Consumer, KafkaMessage, Producer } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';
import { MarketplaceService } from '../marketplace-service';
import { ReferralKey } from '../referrals/referral-token';

/**
 * marketplace-service as its users reach it, for integration tests: marketplace in this process on
 * a fresh schema; customer-service (partners, keys, customers) and billing-service (bills,
 * statements, the ledger) beside it as real processes; the real gateway in front; the store
 * front's order events published straight to the stack's topic, and dead letters collected.
 * The referral keys are the test's own: `current` signs new links, `previous` still verifies.
 */
export type MarketplaceStack = ServiceStack & {
  keys: { current: ReferralKey; previous: ReferralKey };
  /** Publishes an event as the store front (or billing) would, keyed by `key`; returns the event id. */
  publish(definition: EventDefinition, data: Record<string, unknown>, key: string, eventId?: string): Promise<string>;
  deadLetters: KafkaMessage[];
  /** Waits until marketplace's projection knows the partner. */
  knowsPartner(partnerId: string): Promise<void>;
  /** Registers a customer, associates it with the partner (agency sale) and waits until billing owns it at `at`. */
  customerOf(partnerId: string, at: string): Promise<string>;
};

/** `billing: false` leaves billing-service out (for suites that need no statements or ledger). */
export async function startMarketplaceStack(options: { billing?: boolean } = {}): Promise<MarketplaceStack> {
  const keys = { current: { kid: 'test-b', secret: randomBytes(32).toString('base64url') }, previous: { kid: 'test-a', secret: randomBytes(32).toString('base64url') } };
  const stack = await startServiceStack({
    service: MarketplaceService,
    companions: options.billing === false ? ['customer-service'] : ['customer-service', 'billing-service'],
    probeTopics: [Topics.MarketplaceEvents, Topics.BillingEvents],
    env: { MARKETPLACE_REFERRAL_KEYS: JSON.stringify([keys.current, keys.previous]), MARKETPLACE_REFERRAL_SIGNING_KID: keys.current.kid },
  });
  const kafka = createKafka({ clientId: 'store-front', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logger: createLogger('test', 'silent') });
  const producer: Producer = kafka.producer();
  await producer.connect();
  const deadLetters: KafkaMessage[] = [];
  const consumer: Consumer = kafka.consumer({ groupId: `${stack.topic('dlt-reader')}-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [deadLetterTopicOf(stack.topic(Topics.MarketplaceEvents))], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
  let seq = 0;
  return {
    ...stack,
    keys,
    deadLetters,
    async publish(definition, data, key, eventId = randomUUID()) {
      const message = encodeEvent({ id: eventId, type: definition.type, source: '/store-front', time: new Date().toISOString(), partitionKey: key, data });
      await producer.send({ topic: stack.topic(definition.topic), acks: -1, messages: [message] });
      return eventId;
    },
    async knowsPartner(partnerId) {
      await waitFor(async () => ((await stack.dataSource.query('SELECT 1 FROM partner_profiles WHERE partner_id = $1', [partnerId])) as unknown[]).length > 0, `marketplace to know partner ${partnerId}`);
    },
    async customerOf(partnerId, at) {
      seq += 1;
      const registered = await stack.operator('POST', '/operator/customers', { body: { domain_name: `mkt_${Date.now().toString(36)}_${seq}` } });
      if (registered.status !== 201) throw new Error(`registering a customer answered ${registered.status}: ${JSON.stringify(registered.body)}`);
      const customerId = registered.body.customer_id as string;
      const associated = await stack.operator('POST', '/operator/associations', { body: { partner_id: partnerId, customer_id: customerId, association_type: 2, effective_from: '2025-01-01T00:00:00.000Z' } });
      if (associated.status !== 201) throw new Error(`associating answered ${associated.status}: ${JSON.stringify(associated.body)}`);
      await waitFor(async () => {
        const res = await stack.operator('GET', '/operator/billing/customer-ownership', { query: { customer_id: customerId, at } });
        return res.status === 200 && res.body.partner_id === partnerId;
      }, `billing to know ${customerId} belongs to ${partnerId}`);
      return customerId;
    },
    async close() {
      await consumer.disconnect();
      await producer.disconnect();
      await stack.close();
    },
  };
}
