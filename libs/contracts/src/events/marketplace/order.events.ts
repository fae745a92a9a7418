import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, CurrencySchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';
import { amountProblems } from '../money-rules';

/**
 * `positiveAmountRule`, but only on an amount whose text is a decimal (AmountSchema reports the
 * others): the shared rule throws on text that is not a decimal instead of refusing it.
 */
function positiveAmount(data: { amount: string; currency: string }, ctx: z.RefinementCtx): void {
  if (!/^-?\d+(\.\d+)?$/.test(data.amount)) return;
  for (const problem of amountProblems(data.amount, data.currency, { positive: true })) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
}

/** A referral token as a product link carries it (`v1.<kid>.<payload>.<signature>`); opaque to producers. */
export const ReferralTokenSchema = z.string().min(1).max(2048);

/**
 * A marketplace order (云商店订单) was paid. Published by the store front; key: the order id, so an
 * order's refunds follow it in one partition. `order_id` is the idempotency key: a redelivered
 * order changes nothing. When the customer came through a partner's product link, the link's
 * `referral_token` travels with the order unchanged; marketplace-service verifies it and
 * attributes the order to the partner (a forged, altered, expired or foreign token attributes
 * nothing, and the reason is recorded).
 */
export const OrderPaidV1 = defineEvent({
  name: 'settle.marketplace.order-paid',
  version: 1,
  topic: Topics.MarketplaceEvents,
  producer: 'marketplace-service',
  description: 'A marketplace order was paid: product, customer, amount, and the referral token of the link it came through, if any.',
  schema: z
    .object({
      order_id: IdSchema,
      product_id: IdSchema,
      customer_id: IdSchema,
      /** What the customer paid, tax included: more than zero, at most the currency's decimals. */
      amount: AmountSchema,
      currency: CurrencySchema,
      paid_at: IsoDateTimeSchema,
      referral_token: ReferralTokenSchema.optional(),
    })
    .strict()
    .superRefine(positiveAmount),
});

/**
 * A paid marketplace order was refunded, fully or in part, possibly in a later period. Key: the
 * order id. `refund_id` is the idempotency key; the refunds of an order never exceed it (one that
 * would is dead-lettered as rejected), and a refund of an order not received (yet) is retried,
 * then dead-lettered.
 */
export const OrderRefundedV1 = defineEvent({
  name: 'settle.marketplace.order-refunded',
  version: 1,
  topic: Topics.MarketplaceEvents,
  producer: 'marketplace-service',
  description: 'A marketplace order was refunded, in full or in part: the refunded amount, which reverses each party’s share proportionally.',
  schema: z
    .object({
      refund_id: IdSchema,
      order_id: IdSchema,
      amount: AmountSchema,
      currency: CurrencySchema,
      refunded_at: IsoDateTimeSchema,
    })
    .strict()
    .superRefine(positiveAmount),
});
