import { defineBackendService } from '@settle/service-kit';
import { BillInvoice } from './bill-invoices/bill-invoice.entity';
import { BillInvoicesModule } from './bill-invoices/bill-invoices.module';
import { BillPayment } from './bill-invoices/bill-payment.entity';
import { InvoiceableBalance } from './bill-invoices/invoiceable-balance.entity';
import { CommonModule } from './common/common.module';
import { InvoiceConfigSchema } from './config';
import { InvoiceInformationAudit } from './invoice-information/invoice-information-audit.entity';
import { InvoiceInformation } from './invoice-information/invoice-information.entity';
import { InvoiceInformationModule } from './invoice-information/invoice-information.module';
import { InvoiceSubmission } from './invoicing-lists/invoice-submission.entity';
import { InvoicingList } from './invoicing-lists/invoicing-list.entity';
import { InvoicingListsModule } from './invoicing-lists/invoicing-lists.module';
import { PartnersAndInvoiceInformation1763769611100 } from './migrations/1763769611100-partners-and-invoice-information';
import { InvoicingListsAndNotifications1763769611200 } from './migrations/1763769611200-invoicing-lists-and-notifications';
import { BillInvoices1763769611300 } from './migrations/1763769611300-bill-invoices';
import { DeliveryAttempt } from './notifications/delivery-attempt.entity';
import { MessageSettings } from './notifications/message-settings.entity';
import { NotificationDelivery } from './notifications/notification-delivery.entity';
import { Notification } from './notifications/notification.entity';
import { NotificationsModule } from './notifications/notifications.module';
import { WebhookEndpoint } from './notifications/webhook-endpoint.entity';
import { PartnerProfile } from './partners/partner-profile.entity';
import { PartnersModule } from './partners/partners.module';

/** invoice-service: invoice information, invoicing lists and their review, bill invoices, invoice notifications. */
export const InvoiceService = defineBackendService({
  name: 'invoice-service',
  defaultSchema: 'invoice',
  defaultPort: 8084,
  configSchema: InvoiceConfigSchema,
  entities: [PartnerProfile, InvoiceInformation, InvoiceInformationAudit, InvoicingList, InvoiceSubmission, MessageSettings, WebhookEndpoint, Notification, NotificationDelivery, DeliveryAttempt, BillPayment, InvoiceableBalance, BillInvoice],
  migrations: [PartnersAndInvoiceInformation1763769611100, InvoicingListsAndNotifications1763769611200, BillInvoices1763769611300],
  features: () => [CommonModule, PartnersModule, InvoiceInformationModule, NotificationsModule, InvoicingListsModule, BillInvoicesModule],
});
