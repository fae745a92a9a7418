import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';
import { BillCycleSchema } from '../usage/usage-record.event';

/**
 * A partner's bill for a cycle became final (the cycle is closed; the bill will not change again).
 * Published once per bill. Amounts are decimal strings at the currency's exponent; the amount due
 * includes tax and equals consumption + refunds + adjustments.
 */
export const BillGeneratedV1 = defineEvent({
  name: 'settle.billing.bill.generated',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'A partner bill became final: its totals per category, tax and amount due for one cycle and currency.',
  schema: z
    .object({
      bill_id: z.uuid(),
      partner_id: IdSchema,
      bill_cycle: BillCycleSchema,
      currency: z.string().length(3),
      revision: z.number().int().min(1),
      consume_amount: AmountSchema,
      refunds: AmountSchema,
      adjustments: AmountSchema,
      official_amount: AmountSchema,
      discount_amount: AmountSchema,
      tax_amount: AmountSchema,
      amount_due: AmountSchema,
      line_count: z.number().int().min(0),
      customer_count: z.number().int().min(0),
      finalized_at: IsoDateTimeSchema,
    })
    .strict(),
});
