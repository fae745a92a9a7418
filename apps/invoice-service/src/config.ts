import { BackendConfigSchema } from '@settle/platform';
import { z } from 'zod';
import { InvoicingListsConfigShape } from './invoicing-lists/invoicing-lists.config';
import { NotificationsConfigShape, checkNotificationsConfig } from './notifications/notifications.config';

/** invoice-service's configuration: the backend's plus each feature's own variables. */
export const InvoiceConfigSchema = BackendConfigSchema.extend({
  /**
   * Whether this instance consumes Kafka (payout applications, partners, bill payments, payout
   * steps). A deployment of notification workers only runs with false: it never joins (and never
   * holds up) the consumer groups.
   */
  INVOICE_CONSUMERS_ENABLED: z.enum(['true', 'false']).transform((v) => v === 'true').default(true),
  ...InvoicingListsConfigShape,
  ...NotificationsConfigShape,
}).superRefine(checkNotificationsConfig);

export type InvoiceConfig = z.infer<typeof InvoiceConfigSchema>;
