import { BackendConfigSchema } from '@settle/platform';
import { z } from 'zod';
import { InvoicingListsConfigShape } from './invoicing-lists/invoicing-lists.config';
import { NotificationsConfigShape, checkNotificationsConfig } from './notifications/notifications.config';

/** invoice-service's configuration: the backend's plus each feature's own variables. */
export const InvoiceConfigSchema = BackendConfigSchema.extend({
  ...InvoicingListsConfigShape,
  ...NotificationsConfigShape,
}).superRefine(checkNotificationsConfig);

export type InvoiceConfig = z.infer<typeof InvoiceConfigSchema>;
