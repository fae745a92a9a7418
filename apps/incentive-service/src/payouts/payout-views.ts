import { Money } from '@settle/money';
import { PayoutApplication } from './payout-application.entity';
import { PayoutStep } from './payout-step.entity';
import { VoucherCredit } from './voucher-credit.entity';

const amount = (minor: string | null, currency: string) => (minor === null ? null : Money.fromMinor(minor, currency).toString());

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
