import { BackendConfigSchema } from '@settle/platform';
import { defineBackendService } from '@settle/service-kit';
import { CustomerOwnership } from './customer-ownership/customer-ownership.entity';
import { CustomerOwnershipModule } from './customer-ownership/customer-ownership.module';
import { CustomerOwnership1763769600200 } from './migrations/1763769600200-customer-ownership';

/** billing-service: usage, bills, accounts, statements. */
export const BillingService = defineBackendService({
  name: 'billing-service',
  defaultSchema: 'billing',
  defaultPort: 8082,
  configSchema: BackendConfigSchema,
  entities: [CustomerOwnership],
  migrations: [CustomerOwnership1763769600200],
  features: () => [CustomerOwnershipModule],
});
