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

/** A partner's taxpayer identity (纳税人身份): decides how a pre-2019 notice amount becomes an invoice amount. */
export const TaxpayerTypeSchema = z.enum(['general', 'small-scale']);

/**
 * The invoice a payout needs, as incentive-service's tax rules computed it from the notice amount:
 * net + tax = gross, each rounded half-even to the currency's minor unit. The partner issues an
 * invoice of exactly these amounts to the platform.
 */
export const PayoutInvoiceAmountsSchema = z
  .object({
    net_amount: AmountSchema,
    tax_amount: AmountSchema,
    gross_amount: AmountSchema,
    /** The VAT rate the invoice must carry, as a decimal fraction string, e.g. "0.06". */
    tax_rate: z.string().regex(/^\d(\.\d{1,6})?$/, 'must be a decimal fraction such as "0.06"'),
    taxpayer_type: TaxpayerTypeSchema,
  })
  .strict();

/**
 * A partner applied for the payout of one or more incentive notices. `application_id` identifies the
 * application (once per notice: a notice is never applied for twice). When `invoice_required` is
 * true (bank transfer, return to the recharge account) invoice-service opens an invoicing list
 * (开票清单) from it and the payout waits for `settle.invoice.approved.v1`; vouchers need no invoice
 * and are released at once.
 */
export const IncentivePayoutAppliedV1 = defineEvent({
  name: 'settle.incentive.payout-applied',
  version: 1,
  topic: Topics.IncentiveEvents,
  producer: 'incentive-service',
  description: 'A partner applied for an incentive payout by bank transfer, return to the recharge account or vouchers; the first two wait for an approved invoice.',
  schema: z
    .object({
      application_id: z.uuid(),
      partner_id: IdSchema,
      notice_ids: z.array(IdSchema).min(1).max(100),
      period: z.string().min(1).max(32),
      method: PayoutMethodSchema,
      invoice_required: z.boolean(),
      /** The payout amount (the notice total). */
      amount: AmountSchema,
      currency: CurrencySchema,
      /** Present exactly when `invoice_required`. */
      invoice: PayoutInvoiceAmountsSchema.optional(),
      applied_at: IsoDateTimeSchema,
    })
    .strict()
    .superRefine(positiveAmountRule('amount', 'currency'))
    .superRefine((d, ctx) => {
      if (d.invoice_required !== (d.invoice !== undefined)) {
        ctx.addIssue({ code: 'custom', path: ['invoice'], message: 'invoice amounts are present exactly when invoice_required is true' });
      }
    }),
});

/**
 * A bank-transfer payout was paid: an operator recorded the bank's reference. (Recharge and voucher
 * payouts are complete with `settle.incentive.payout-released.v1`.)
 */
export const IncentivePayoutPaidV1 = defineEvent({
  name: 'settle.incentive.payout-paid',
  version: 1,
  topic: Topics.IncentiveEvents,
  producer: 'incentive-service',
  description: 'A bank-transfer incentive payout was paid; the operator recorded the bank reference.',
  schema: z
    .object({
      payout_id: IdSchema,
      application_id: z.uuid(),
      partner_id: IdSchema,
      amount: AmountSchema,
      currency: CurrencySchema,
      bank_reference: z.string().min(1).max(128),
      paid_at: IsoDateTimeSchema,
      paid_by: z.string().min(1).max(128),
    })
    .strict()
    .superRefine(positiveAmountRule('amount', 'currency')),
});
