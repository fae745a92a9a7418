import { defineBackendService } from '@settle/service-kit';
import { AssociationsModule } from './associations/associations.module';
import { CustomerAssociation } from './associations/customer-association.entity';
import { CustomerServiceConfigSchema } from './config';
import { PartnersAndAssociations1763769600100 } from './migrations/1763769600100-partners-and-associations';
import { AccessKey } from './partners/access-key.entity';
import { Partner } from './partners/partner.entity';
import { PartnersModule } from './partners/partners.module';

/** customer-service: partners and their keys, customer association. */
export const CustomerService = defineBackendService({
  name: 'customer-service',
  defaultSchema: 'customer',
  defaultPort: 8081,
  configSchema: CustomerServiceConfigSchema,
  entities: [Partner, AccessKey, CustomerAssociation],
  migrations: [PartnersAndAssociations1763769600100],
  features: () => [PartnersModule, AssociationsModule],
});
