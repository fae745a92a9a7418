import { ApiAmount, ApiCurrency, ApiTimestamp, ApiUuid } from '@settle/contracts';
import { z } from 'zod';
import { amountOf } from '../common/money-views';
import { SplitBill } from './split-bill.entity';
import { SplitBillLineRow } from './split-bill-lines';

/** A split bill as `splitBillView` writes it (every partner and operator route that shows one). */
export const SplitBillResponse = z
  .object({
    split_bill_id: ApiUuid,
    partner_id: z.string(),
    bill_cycle: z.string().describe('The billing cycle, YYYY-MM.'),
    currency: ApiCurrency,
    order_amount: ApiAmount.describe('What the bill\'s orders took, less its refunds.'),
    platform_amount: ApiAmount,
    seller_amount: ApiAmount,
    partner_amount: ApiAmount.describe('What the bill owes the partner, carried_amount included (negative: the partner owes it back).'),
    carried_amount: ApiAmount.describe('What earlier settled bills owed back (zero or less), included in partner_amount.'),
    order_count: z.number().int(),
    refund_count: z.number().int(),
    status: z.enum(['issued', 'settled']).describe('issued: in billing\'s statement, awaiting the partner\'s confirmation; settled: split-settled published (or nothing owed).'),
    issued_time: ApiTimestamp,
    statement_id: z.string().nullable().describe('The reconciliation statement (billing) that shows the bill, once attached.'),
    statement_revision: z.number().int().nullable().describe('The first revision of that statement that shows the bill.'),
    settled_time: ApiTimestamp.nullable(),
    settled_amount: ApiAmount.nullable().describe('What split-settled credited (0 when the bill owed the partner nothing); null until settled.'),
  })
  .meta({ id: 'MarketplaceSplitBill' });

/** One line of a split bill as `lineView` writes it (amounts of a refund line are negative). */
export const SplitBillLineResponse = z.object({
  line_type: z.enum(['order', 'refund']),
  line_id: z.string().describe('The order_id of an order line, the refund_id of a refund line.'),
  order_id: z.string(),
  product_id: z.string(),
  customer_id: z.string(),
  time: ApiTimestamp.describe('When the order was paid or the refund made.'),
  amount: ApiAmount,
  platform_amount: ApiAmount,
  seller_amount: ApiAmount,
  partner_amount: ApiAmount,
});

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
