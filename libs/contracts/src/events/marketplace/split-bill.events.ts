import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, CurrencySchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';
import { BillCycleSchema } from '../usage/usage-record.event';

/**
 * A partner's split bill (严选分账单) of a period was issued: the split of the orders attributed to
 * the partner, and the reversals of refunds, between platform, seller and partner. It will not
 * change again (a later refund lands in a later bill). billing-service puts it into the split
 * section of the partner's reconciliation statement; after the partner confirms that statement,
 * marketplace-service settles `partner_amount` (`split-settled`). Key: the partner id.
 */
export const SplitBillIssuedV1 = defineEvent({
  name: 'settle.marketplace.split-bill.issued',
  version: 1,
  topic: Topics.MarketplaceEvents,
  producer: 'marketplace-service',
  description: "A partner's split bill of a period was issued: order and refund lines split between platform, seller and partner, and what the partner is owed.",
  schema: z
    .object({
      split_bill_id: z.uuid(),
      partner_id: IdSchema,
      bill_cycle: BillCycleSchema,
      currency: CurrencySchema,
      /** Sum of the lines' amounts: orders minus refunds. */
      order_amount: AmountSchema,
      platform_amount: AmountSchema,
      seller_amount: AmountSchema,
      /** What the partner is owed for the period (its shares minus reversals, plus `carried_amount`); may be zero or negative. */
      partner_amount: AmountSchema,
      /** What earlier settled split bills owed back (zero or negative), carried into this one and included in `partner_amount`. */
      carried_amount: AmountSchema.optional(),
      order_count: z.number().int().min(0),
      refund_count: z.number().int().min(0),
      issued_at: IsoDateTimeSchema,
    })
    .strict(),
});
