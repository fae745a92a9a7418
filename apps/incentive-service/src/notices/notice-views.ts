import { Money } from '@settle/money';
import { TaxpayerType, invoiceAmountsOf } from '../tax/tax-rules';
import { NoticeLine } from './notice-line.entity';
import { Notice } from './notice.entity';

const amount = (minor: string, currency: string) => Money.fromMinor(minor, currency).toString();

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
