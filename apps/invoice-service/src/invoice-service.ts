import { defineBackendService } from '@settle/service-kit';
import { CommonModule } from './common/common.module';
import { InvoiceConfigSchema } from './config';
import { InvoiceInformationAudit } from './invoice-information/invoice-information-audit.entity';
import { InvoiceInformation } from './invoice-information/invoice-information.entity';
import { InvoiceInformationModule } from './invoice-information/invoice-information.module';
import { PartnersAndInvoiceInformation1763769611100 } from './migrations/1763769611100-partners-and-invoice-information';
import { PartnerProfile } from './partners/partner-profile.entity';
import { PartnersModule } from './partners/partners.module';

/** invoice-service: invoice information, invoicing lists and their review, bill invoices, invoice notifications. */
export const InvoiceService = defineBackendService({
  name: 'invoice-service',
  defaultSchema: 'invoice',
  defaultPort: 8084,
  configSchema: InvoiceConfigSchema,
  entities: [PartnerProfile, InvoiceInformation, InvoiceInformationAudit],
  migrations: [PartnersAndInvoiceInformation1763769611100],
  features: () => [CommonModule, PartnersModule, InvoiceInformationModule],
});
