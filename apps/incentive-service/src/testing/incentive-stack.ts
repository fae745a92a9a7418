import { EventData, EventDefinition, Topics, eventDefinitionOf } from '@settle/contracts';
import { createKafka, encodeEvent } from '@settle/messaging';
import { createLogger } from '@settle/platform';
import { ServiceStack, startServiceStack } from '@settle/service-kit/testing';
import { waitFor } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { IncentiveService } from '../incentive-service';

/**
 * incentive-service as its users reach it, for integration tests: incentive in this process on a
 * fresh schema; customer-service (partners, associations) and billing-service (usage, bills, the
 * consumption events, the recharge account) beside it as real processes; the real gateway in front.
 */
export type IncentiveStack = ServiceStack & {
  /** Registers a customer and associates it (consultant-sale unless told) with the partner; waits until billing owns it. */
  associate(partnerId: string, options?: { associationType?: 1 | 2; effectiveFrom?: string; ownedAt?: string }): Promise<string>;
  /** Usage records through billing's operator batch API. */
  ingest(records: Record<string, unknown>[]): Promise<void>;
  /** Closes a cycle in billing and runs its bills to completion (final bills, their consumption events). */
  finalizeCycle(cycle: string): Promise<void>;
  /** Waits until incentive's projection knows the partner (optionally in a given state). */
  knowsPartner(partnerId: string, where?: (row: Record<string, unknown>) => boolean): Promise<void>;
  /** Waits until incentive accrued `count` rows for the partner; returns them. */
  accrued(partnerId: string, count: number): Promise<Record<string, unknown>[]>;
  /** Creates a policy through the operator API. */
  createPolicy(body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Publishes an event as its producer would (e.g. invoice-service's `invoice.approved`), with an id of its own unless given. */
  publish<D extends EventDefinition>(definition: D, data: EventData<D>, options: { partitionKey: string; id?: string; source?: string }): Promise<string>;
  /** Publishes again every event the probe saw of these types, with their ids (a redelivery of the whole stream). */
  republish(types: string[]): Promise<number>;
};

let seq = 0;

/** A usage record of `customerId` (a consumption in 2025-04 unless overridden). */
export function usageRecord(customerId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return {
    record_id: `rec-${randomUUID()}`,
    customer_id: customerId,
    service_type_code: 'hws.service.type.ec2',
    resource_type_code: 'hws.resource.type.vm',
    resource_id: `vm-${seq}`,
    region_code: 'cn-north-4',
    usage: '3600',
    usage_measure_id: 4,
    charge_mode: 'on-demand',
    record_type: 'consumption',
    official_amount: '10.00',
    currency: 'CNY',
    occurred_at: '2025-04-10T04:00:00.000Z',
    bill_cycle: '2025-04',
    ...overrides,
  };
}

/** `withBilling: false` leaves billing-service out, for suites that never need a bill (faster start). */
export async function startIncentiveStack(extraEnv: NodeJS.ProcessEnv = {}, options: { withBilling?: boolean } = {}): Promise<IncentiveStack> {
  const stack = await startServiceStack({
    service: IncentiveService,
    companions: options.withBilling === false ? ['customer-service'] : ['customer-service', 'billing-service'],
    probeTopics: [Topics.IncentiveEvents, Topics.BillingEvents],
    env: extraEnv,
  });
  const kafka = createKafka({ clientId: 'incentive-stack', brokers: (stack.env.KAFKA_BROKERS as string).split(','), logger: createLogger('test', 'silent') });
  const producer = kafka.producer();
  await producer.connect();
  const send = async (topic: string, events: Parameters<typeof encodeEvent>[0][]) => {
    if (events.length) await producer.send({ topic: stack.topic(topic), messages: events.map(encodeEvent) });
  };
  const ok = (what: string, res: { status: number; body: unknown }, status: number) => {
    if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Record<string, unknown>;
  };
  return {
    ...stack,
    async associate(partnerId, options = {}) {
      seq += 1;
      const registered = ok('registering a customer', await stack.operator('POST', '/operator/customers', { body: { domain_name: `inc_${Date.now().toString(36)}_${seq}` } }), 201);
      const customerId = registered.customer_id as string;
      const effectiveFrom = options.effectiveFrom ?? '2024-01-01T00:00:00.000Z';
      ok(
        'associating',
        await stack.operator('POST', '/operator/associations', { body: { partner_id: partnerId, customer_id: customerId, association_type: options.associationType ?? 1, effective_from: effectiveFrom } }),
        201,
      );
      const at = options.ownedAt ?? effectiveFrom;
      await waitFor(async () => {
        const res = await stack.operator('GET', '/operator/billing/customer-ownership', { query: { customer_id: customerId, at } });
        return res.status === 200 && res.body.partner_id === partnerId;
      }, `billing to know ${customerId} belongs to ${partnerId}`);
      return customerId;
    },
    async ingest(records) {
      const res = await stack.operator('POST', '/operator/billing/usage-records/batch', { body: { records } });
      if (res.status !== 200 || (res.body.error_details as unknown[]).length) throw new Error(`ingesting usage answered ${res.status}: ${JSON.stringify(res.body).slice(0, 2000)}`);
    },
    async finalizeCycle(cycle) {
      ok('closing the cycle', await stack.operator('POST', `/operator/billing/cycles/${cycle}/close`), 200);
      const started = ok('starting a bill run', await stack.operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: cycle } }), 202);
      await waitFor(async () => {
        const res = await stack.operator('GET', `/operator/billing/bill-runs/${started.run_id}`);
        return res.body.status === 'completed';
      }, `the bill run of ${cycle}`, { timeoutMs: 30_000 });
    },
    async knowsPartner(partnerId, where = () => true) {
      await waitFor(async () => {
        const [row] = await stack.dataSource.query(`SELECT * FROM partner_profiles WHERE partner_id = $1`, [partnerId]);
        return row && where(row);
      }, `incentive to know partner ${partnerId}`);
    },
    async accrued(partnerId, count) {
      return waitFor(async () => {
        const rows: Record<string, unknown>[] = await stack.dataSource.query(`SELECT * FROM accruals WHERE partner_id = $1 ORDER BY period, customer_id, service_type_code, source_ref`, [partnerId]);
        return rows.length >= count ? rows : undefined;
      }, `${count} accruals of ${partnerId}`, { timeoutMs: 20_000 });
    },
    async publish(definition, data, options) {
      const id = options.id ?? randomUUID();
      const event = { id, type: definition.type, source: options.source ?? `/settle/${definition.producer}`, time: new Date().toISOString(), partitionKey: options.partitionKey, data };
      await send(definition.topic, [event]);
      return id;
    },
    async republish(types) {
      // The probe also sees earlier republications: each event once, by id.
      const seen = [...new Map(stack.events().filter((e) => types.includes(e.type)).map((e) => [e.id, e])).values()];
      const byTopic = new Map<string, Parameters<typeof encodeEvent>[0][]>();
      for (const e of seen) {
        const data = e.data as Record<string, unknown>;
        const topic = eventDefinitionOf(e.type)?.topic ?? Topics.IncentiveEvents;
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), { id: e.id, type: e.type, source: '/settle/replay', time: new Date().toISOString(), subject: e.subject, partitionKey: String(data.partner_id), data }]);
      }
      for (const [topic, events] of byTopic) await send(topic, events);
      return seen.length;
    },
    async close() {
      await producer.disconnect();
      await stack.close();
    },
    async createPolicy(body) {
      return ok('creating a policy', await stack.operator('POST', '/operator/incentives/policies', { body }), 201);
    },
  };
}
