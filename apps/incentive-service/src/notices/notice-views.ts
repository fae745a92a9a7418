import { ApiAmount, ApiCurrency, ApiTimestamp, ApiUuid, BillCycleSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { z } from 'zod';
import { TaxpayerType, invoiceAmountsOf } from '../tax/tax-rules';
import { NoticeLine } from './notice-line.entity';
import { Notice } from './notice.entity';

const amount = (minor: string, currency: string) => Money.fromMinor(minor, currency).toString();

/** The fields of noticeView. */
export const noticeFields = {
  notice_id: ApiUuid,
  period: BillCycleSchema.describe('The settlement period (YYYY-MM) the notice pays.'),
  currency: ApiCurrency,
  total_amount: ApiAmount.describe('The sum of the lines; negative when it is carried into a later notice.'),
  status: z.enum(['issued', 'applied', 'paid', 'carried']).describe('issued → applied (a payout application holds it) → paid; a negative notice is carried into the next one.'),
  earned_line_count: z.number().int().min(0),
  adjustment_line_count: z.number().int().min(0).describe('Adjustment lines (later changes of earlier periods) and carry-forward lines.'),
  issued_at: ApiTimestamp,
  carried_into_notice_id: ApiUuid.nullable().describe('For a negative notice: the later notice its total was carried into.'),
};

const NoticeLineView = z
  .object({
    line_no: z.number().int().min(1),
    line_type: z.enum(['earned', 'adjustment', 'carry-forward']).describe("earned: the period's own incentive; adjustment: a later change of an earlier period; carry-forward: an earlier notice's negative total."),
    period: BillCycleSchema.describe('The period whose consumption the line pays (earlier than the notice\'s for an adjustment).'),
    policy_id: ApiUuid.nullable().describe('Null on a carry-forward line.'),
    incentive_policy: z.string().nullable().describe('The policy code; null on a carry-forward line.'),
    policy_version: z.number().int().nullable(),
    service_type_code: z.string().nullable(),
    eligible_amount: ApiAmount,
    incentive_amount: ApiAmount,
    source_refs: z.array(z.string()).describe('The accruals the line rests on (bill items, correction adjustments; notice:<id> for a carry-forward).'),
    carried_notice_id: ApiUuid.nullable().describe('On a carry-forward line: the earlier notice whose negative total it carries.'),
  })
  .meta({ id: 'IncentiveNoticeLine' });

/** The fields of noticeDetailView. */
export const noticeDetailFields = {
  ...noticeFields,
  lines: z.array(NoticeLineView),
  invoice: z
    .object({
      net_amount: ApiAmount,
      tax_amount: ApiAmount,
      gross_amount: ApiAmount,
      tax_rate: z.string().describe('The VAT rate of the invoice as a fraction (e.g. "0.06").'),
      taxpayer_type: z.enum(['general', 'small-scale']),
    })
    .nullable()
    .describe('The invoice a bank-transfer or recharge payout of the notice needs; null for a total that is not positive or a partner whose taxpayer identity is unknown.'),
};

export function noticeView(n: Notice) {
  return {
    notice_id: n.id,
    period: n.period,
    currency: n.currency,
    total_amount: amount(n.totalMinor, n.currency),
    status: n.status,
    earned_line_count: n.earnedLineCount,
    adjustment_line_count: n.adjustmentLineCount,
    issued_at: n.issuedAt.toISOString(),
    carried_into_notice_id: n.carriedIntoNoticeId,
  };
}

export function noticeLineView(l: NoticeLine, currency: string) {
  return {
    line_no: l.lineNo,
    line_type: l.kind,
    period: l.period,
    policy_id: l.policyId,
    incentive_policy: l.policyCode,
    policy_version: l.policyVersion,
    service_type_code: l.serviceTypeCode,
    eligible_amount: amount(l.eligibleMinor, currency),
    incentive_amount: amount(l.incentiveMinor, currency),
    source_refs: l.sourceRefs,
    carried_notice_id: l.carriedNoticeId,
  };
}

/** A notice with its lines and, for a positive total, the invoice a payout by bank or recharge needs. */
export function noticeDetailView(n: Notice, lines: NoticeLine[], taxpayerType: TaxpayerType | null) {
  const total = Money.fromMinor(n.totalMinor, n.currency);
  const invoice = taxpayerType && total.isPositive() ? invoiceAmountsOf(total, n.period, taxpayerType) : null;
  return {
    ...noticeView(n),
    lines: lines.map((l) => noticeLineView(l, n.currency)),
    invoice: invoice && { net_amount: invoice.net.toString(), tax_amount: invoice.tax.toString(), gross_amount: invoice.gross.toString(), tax_rate: invoice.taxRate, taxpayer_type: invoice.taxpayerType },
  };
}
