import { BackendConfigSchema } from '@settle/platform';
import { defineBackendService } from '@settle/service-kit';

/**
 * incentive-service: incentive calculation, notices and payouts.
 * Its features arrive with their issues; today it owns its schema (outbox and inbox tables),
 * publishes through its outbox relay and reports readiness of PostgreSQL, Redis and Kafka.
 */
export const IncentiveService = defineBackendService({
  name: 'incentive-service',
  defaultSchema: 'incentive',
  defaultPort: 8083,
  configSchema: BackendConfigSchema,
  entities: [],
  migrations: [],
  features: () => [],
});
