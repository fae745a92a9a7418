import { Topics } from '@settle/contracts';
import { ServiceStack, startServiceStack } from '@settle/service-kit/testing';
import { CustomerService } from '../customer-service';

/**
 * customer-service as its users reach it, for integration tests: the service in this process on a
 * fresh schema, the real gateway in front of it, its events collected from the real Kafka.
 */
export type CustomerStack = ServiceStack;

export function startCustomerStack(extraEnv: NodeJS.ProcessEnv = {}): Promise<CustomerStack> {
  return startServiceStack({ service: CustomerService, probeTopics: [Topics.CustomerEvents], env: extraEnv });
}
