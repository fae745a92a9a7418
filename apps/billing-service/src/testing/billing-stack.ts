import { Topics } from '@settle/contracts';
import { waitFor } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { ServiceStack, startServiceStack } from '@settle/service-kit/testing';
import { BillingService } from '../billing-service';

/**
 * billing-service as its users reach it, for integration tests: billing in this process on a fresh
 * schema, customer-service beside it as a real process (partners, keys, association events), the
 * real gateway in front; billing's and usage events collected from the real Kafka.
 */
export type BillingStack = ServiceStack & {
  /** Registers a customer and associates it with the partner through customer-service. */
  associate(partnerId: string, options?: { customerId?: string; associationType?: 1 | 2; effectiveFrom?: string }): Promise<string>;
  /** Waits until billing's ownership projection says the customer belonged to the partner at `at`. */
  owned(customerId: string, partnerId: string, at: string): Promise<void>;
  /** Sends usage records through the operator batch API (1,000 a call); fails on any refused record. */
  ingest(records: Record<string, unknown>[]): Promise<void>;
  /** Waits until billing's partner projection knows the partner (optionally: until `where` holds of its profile). */
  knowsPartner(partnerId: string, where?: (profile: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
};

let recordSeq = 0;

/** A valid usage record of `customerId` (an ec2 consumption of 10.00 CNY in 2025-04 unless overridden). */
export function usageRecord(customerId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  recordSeq += 1;
  return {
    record_id: `rec-${randomUUID()}`,
    customer_id: customerId,
    service_type_code: 'hws.service.type.ec2',
    resource_type_code: 'hws.resource.type.vm',
    resource_id: `vm-${recordSeq}`,
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

let seq = 0;

export async function startBillingStack(extraEnv: NodeJS.ProcessEnv = {}): Promise<BillingStack> {
  const stack = await startServiceStack({ service: BillingService, companions: ['customer-service'], probeTopics: [Topics.BillingEvents, Topics.UsageRecords], env: extraEnv });
  return {
    ...stack,
    async associate(partnerId, options = {}) {
      seq += 1;
      const registered = await stack.operator('POST', '/operator/customers', {
        body: { domain_name: `bill_${Date.now().toString(36)}_${seq}`, ...(options.customerId ? { customer_id: options.customerId } : {}) },
      });
      if (registered.status !== 201) throw new Error(`registering a customer answered ${registered.status}: ${JSON.stringify(registered.body)}`);
      const customerId = registered.body.customer_id as string;
      const associated = await stack.operator('POST', '/operator/associations', {
        body: { partner_id: partnerId, customer_id: customerId, association_type: options.associationType ?? 2, ...(options.effectiveFrom ? { effective_from: options.effectiveFrom } : {}) },
      });
      if (associated.status !== 201) throw new Error(`associating answered ${associated.status}: ${JSON.stringify(associated.body)}`);
      return customerId;
    },
    async owned(customerId, partnerId, at) {
      await waitFor(async () => {
        const res = await stack.operator('GET', '/operator/billing/customer-ownership', { query: { customer_id: customerId, at } });
        return res.status === 200 && res.body.partner_id === partnerId;
      }, `billing to know ${customerId} belonged to ${partnerId} at ${at}`);
    },
    async ingest(records) {
      for (let i = 0; i < records.length; i += 1000) {
        const res = await stack.operator('POST', '/operator/billing/usage-records/batch', { body: { records: records.slice(i, i + 1000) } });
        if (res.status !== 200 || (res.body.error_details as unknown[]).length) throw new Error(`ingesting usage answered ${res.status}: ${JSON.stringify(res.body).slice(0, 2000)}`);
      }
    },
    async knowsPartner(partnerId, where = () => true) {
      return waitFor(async () => {
        const res = await stack.operator('GET', `/operator/billing/partners/${partnerId}`);
        return res.status === 200 && where(res.body) ? (res.body as Record<string, unknown>) : undefined;
      }, `billing to know partner ${partnerId}`);
    },
  };
}
