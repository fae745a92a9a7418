import { amountOf } from '../common/money-views';
import { SplitBill } from './split-bill.entity';
import { SplitBillLineRow } from './split-bill-lines';

/** A split bill and its lines as the API shows them (decimal strings at the currency's exponent). */
export function splitBillView(b: SplitBill) {
  const a = (minor: string) => amountOf(minor, b.currency);
  return {
    split_bill_id: b.id,
    partner_id: b.partnerId,
    bill_cycle: b.billCycle,
    currency: b.currency,
    order_amount: a(b.orderAmountMinor),
    platform_amount: a(b.platformMinor),
    seller_amount: a(b.sellerMinor),
    partner_amount: a(b.partnerMinor),
    carried_amount: a(b.carriedInMinor),
    order_count: b.orderCount,
    refund_count: b.refundCount,
    status: b.status,
    issued_time: b.issuedAt.toISOString(),
    statement_id: b.statementId,
    statement_revision: b.statementRevision,
    settled_time: b.settledAt?.toISOString() ?? null,
    settled_amount: b.settledAmountMinor === null ? null : a(b.settledAmountMinor),
  };
}

export function lineView(l: SplitBillLineRow) {
  const a = (minor: string) => amountOf(minor, l.currency);
  return {
    line_type: l.kind,
    line_id: l.line_id,
    order_id: l.order_id,
    product_id: l.product_id,
    customer_id: l.customer_id,
    time: new Date(l.happened_at).toISOString(),
    amount: a(l.amount_minor),
    platform_amount: a(l.platform_minor),
    seller_amount: a(l.seller_minor),
    partner_amount: a(l.partner_minor),
  };
}
