import { BackendConfigSchema } from '@settle/platform';
import { defineBackendService } from '@settle/service-kit';

/**
 * invoice-service: invoice information, invoicing lists, review and notifications.
 * Its features arrive with their issues; today it owns its schema (outbox and inbox tables),
 * publishes through its outbox relay and reports readiness of PostgreSQL, Redis and Kafka.
 */
export const InvoiceService = defineBackendService({
  name: 'invoice-service',
  defaultSchema: 'invoice',
  defaultPort: 8084,
  configSchema: BackendConfigSchema,
  entities: [],
  migrations: [],
  features: () => [],
});
