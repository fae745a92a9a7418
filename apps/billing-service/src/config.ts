import { BackendConfigSchema } from '@settle/platform';
import { z } from 'zod';
import { BillsConfigShape } from './bills/bills.config';
import { ExportsConfigShape } from './exports/exports.config';
import { UsageConfigShape } from './usage/usage.config';

/** billing-service's configuration: the backend's plus each feature's own variables. */
export const BillingConfigSchema = BackendConfigSchema.extend({
  ...ExportsConfigShape,
  ...BillsConfigShape,
  ...UsageConfigShape,
});

export type BillingConfig = z.infer<typeof BillingConfigSchema>;
