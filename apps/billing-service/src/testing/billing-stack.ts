import { Topics } from '@settle/contracts';
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
};

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
  };
}
