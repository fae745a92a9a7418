import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, CurrencySchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';
import { positiveAmountRule } from '../money-rules';

/** How a partner chose to receive an incentive payout (申请发放激励). */
export const PayoutMethodSchema = z.enum(['bank-transfer', 'recharge-account', 'voucher']);
export type PayoutMethod = z.infer<typeof PayoutMethodSchema>;

/**
 * An incentive payout was released to the partner (after the invoice review the method needs).
 * `payout_id` identifies the payout: it is paid once however often this is delivered or
 * re-published. billing-service credits a `recharge-account` payout to the partner's cash account
 * as a ledger entry; a bank transfer is paid outside the partner's accounts and vouchers are not
 * money on account, so those move nothing in billing.
 */
export const IncentivePayoutReleasedV1 = defineEvent({
  name: 'settle.incentive.payout-released',
  version: 1,
  topic: Topics.IncentiveEvents,
  producer: 'incentive-service',
  description: 'An incentive payout was released to a partner by its chosen method (bank transfer, return to the recharge account, vouchers).',
  schema: z
    .object({
      payout_id: IdSchema,
      partner_id: IdSchema,
      /** The incentive notice(s) the payout pays, for the partner's records. */
      notice_ids: z.array(IdSchema).max(100).optional(),
      /** The settlement period the incentive was earned in, e.g. "2026-10" or "2026-Q3". */
      period: z.string().min(1).max(32),
      method: PayoutMethodSchema,
      amount: AmountSchema,
      currency: CurrencySchema,
      released_at: IsoDateTimeSchema,
    })
    .strict()
    .superRefine(positiveAmountRule('amount', 'currency')),
});
