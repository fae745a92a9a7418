import { BackendConfigSchema } from '@settle/platform';
import { defineBackendService } from '@settle/service-kit';

/**
 * marketplace-service: marketplace orders, referral attribution and revenue split.
 * Its features arrive with their issues; today it owns its schema (outbox and inbox tables),
 * publishes through its outbox relay and reports readiness of PostgreSQL, Redis and Kafka.
 */
export const MarketplaceService = defineBackendService({
  name: 'marketplace-service',
  defaultSchema: 'marketplace',
  defaultPort: 8085,
  configSchema: BackendConfigSchema,
  entities: [],
  migrations: [],
  features: () => [],
});
