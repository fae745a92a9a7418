import { ApiAmount, ApiCurrency, ApiTimestamp, ApiUuid, BillCycleSchema, PayoutMethodSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { z } from 'zod';
import { PayoutApplication } from './payout-application.entity';
import { PayoutStep } from './payout-step.entity';
import { VoucherCredit } from './voucher-credit.entity';

const amount = (minor: string | null, currency: string) => (minor === null ? null : Money.fromMinor(minor, currency).toString());

/** The invoice a bank-transfer or recharge payout needs (the amounts the partner's invoice must carry). */
export const PayoutInvoiceView = z.object({
  net_amount: ApiAmount,
  tax_amount: ApiAmount,
  gross_amount: ApiAmount.describe('What the invoice totals: net_amount + tax_amount.'),
  tax_rate: z.string().describe('The VAT rate of the invoice as a fraction (e.g. "0.06").'),
  taxpayer_type: z.enum(['general', 'small-scale']).describe("The partner's taxpayer identity, which sets the rate."),
});

/** The fields of payoutApplicationView. */
export const payoutApplicationFields = {
  application_id: ApiUuid,
  notice_id: ApiUuid,
  period: BillCycleSchema.describe("The notice's settlement period (YYYY-MM)."),
  method: PayoutMethodSchema,
  status: z.enum(['awaiting-invoice', 'released', 'paid']).describe('awaiting-invoice → released (payout made; a voucher payout at once) → paid (bank transfer only, once the operator records the bank reference).'),
  amount: ApiAmount,
  currency: ApiCurrency,
  invoice_required: z.boolean().describe('false for a voucher payout, true otherwise.'),
  invoice_status: z.enum(['not-required', 'awaiting', 'rejected', 'approved']).describe('rejected: the last invoice was rejected; a corrected one may be submitted.'),
  invoice: PayoutInvoiceView.nullable().describe('The invoice the payout needs; null when none is required.'),
  payout_id: ApiUuid.nullable().describe('Set once released.'),
  bank_reference: z.string().nullable().describe("The bank's reference of a paid bank transfer."),
  applied_at: ApiTimestamp,
  released_at: ApiTimestamp.nullable(),
  paid_at: ApiTimestamp.nullable(),
};
export const PayoutApplicationResponse = z.object(payoutApplicationFields).meta({ id: 'IncentivePayoutApplication' });

const stepFields = { time: ApiTimestamp, by: z.string().describe('Who did it: the actor, an operator, or event:<id> for a step an event made.') };
/** One step of an application's progress, with the detail that step records. */
export const PayoutStepView = z
  .discriminatedUnion('step', [
    z.object({ step: z.literal('applied'), ...stepFields, method: PayoutMethodSchema, amount: ApiAmount, invoice_required: z.boolean() }),
    z.object({ step: z.literal('invoice-rejected'), ...stepFields, invoice_number: z.string(), submission: z.number().int().describe('Which submission of the invoice (1 for the first).'), reason: z.string() }),
    z.object({ step: z.literal('invoice-approved'), ...stepFields, invoice_number: z.string(), submission: z.number().int().describe('Which submission of the invoice (1 for the first).'), approved_by: z.string() }),
    z.object({ step: z.literal('released'), ...stepFields, payout_id: ApiUuid, payment_instruction: z.literal('awaiting bank transfer').optional().describe('Bank transfer only: the payment is yet to be made.') }),
    z.object({ step: z.literal('paid'), ...stepFields, bank_reference: z.string() }),
  ])
  .meta({ id: 'IncentivePayoutStep' });
export const payoutProgressFields = { ...payoutApplicationFields, progress: z.array(PayoutStepView).describe("The application's steps, oldest first.") };

export const VoucherCreditView = z.object({ voucher_credit_id: ApiUuid, application_id: ApiUuid, payout_id: ApiUuid, amount: ApiAmount, currency: ApiCurrency, granted_at: ApiTimestamp });

export function payoutApplicationView(a: PayoutApplication) {
  return {
    application_id: a.id,
    notice_id: a.noticeId,
    period: a.period,
    method: a.method,
    status: a.status,
    amount: amount(a.amountMinor, a.currency),
    currency: a.currency,
    invoice_required: a.invoiceRequired,
    invoice_status: a.invoiceStatus,
    invoice: a.invoiceRequired
      ? { net_amount: amount(a.invoiceNetMinor, a.currency), tax_amount: amount(a.invoiceTaxMinor, a.currency), gross_amount: amount(a.invoiceGrossMinor, a.currency), tax_rate: a.invoiceTaxRate, taxpayer_type: a.taxpayerType }
      : null,
    payout_id: a.payoutId,
    bank_reference: a.bankReference,
    applied_at: a.appliedAt.toISOString(),
    released_at: a.releasedAt?.toISOString() ?? null,
    paid_at: a.paidAt?.toISOString() ?? null,
  };
}

export function payoutProgressView(a: PayoutApplication, steps: PayoutStep[]) {
  return { ...payoutApplicationView(a), progress: steps.map((s) => ({ step: s.step, time: s.at.toISOString(), by: s.by, ...s.detail })) };
}

export function voucherCreditView(v: VoucherCredit) {
  return { voucher_credit_id: v.id, application_id: v.applicationId, payout_id: v.payoutId, amount: amount(v.amountMinor, v.currency), currency: v.currency, granted_at: v.grantedAt.toISOString() };
}
