import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, CurrencySchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';
import { positiveAmountRule } from '../money-rules';

/**
 * The partner's share of a split settlement (分账结算) is due: marketplace orders of a period whose
 * reconciliation statement the partner confirmed. `settlement_id` identifies the settlement: it is
 * credited once however often this is delivered. billing-service credits it to the partner's cash
 * account as a ledger entry, and only for a statement of that partner, in that currency, that is
 * confirmed; anything else is dead-lettered as rejected with the reason.
 */
export const SplitSettledV1 = defineEvent({
  name: 'settle.marketplace.split-settled',
  version: 1,
  topic: Topics.MarketplaceEvents,
  producer: 'marketplace-service',
  description: "A split settlement of a partner's confirmed reconciliation statement: the partner's share, to be credited to its account.",
  schema: z
    .object({
      settlement_id: IdSchema,
      partner_id: IdSchema,
      /** The confirmed reconciliation statement (billing-service) the settlement is for. */
      statement_id: z.uuid(),
      /** The partner's share: more than zero. */
      amount: AmountSchema,
      currency: CurrencySchema,
      order_count: z.number().int().min(0).optional(),
      settled_at: IsoDateTimeSchema,
    })
    .strict()
    .superRefine(positiveAmountRule('amount', 'currency')),
});
