import { Money } from '@settle/money';
import { EntityManager } from 'typeorm';
import { SplitBillLineValue } from '../splits/split-bill-arithmetic';

/** One line of a split bill as stored: an order's split or a refund's reversal. */
export interface SplitBillLineRow {
  kind: 'order' | 'refund';
  line_id: string;
  order_id: string;
  product_id: string;
  customer_id: string;
  happened_at: Date;
  currency: string;
  amount_minor: string;
  platform_minor: string;
  seller_minor: string;
  partner_minor: string;
}

const SELECT_LINES = (where: string) => `
  SELECT 'order' AS kind, o.order_id AS line_id, o.order_id, o.product_id, o.customer_id, o.paid_at AS happened_at, o.currency,
         o.amount_minor::text, o.platform_minor::text, o.seller_minor::text, o.partner_minor::text
    FROM orders o WHERE ${where.replace(/\$t\./g, 'o.')}
  UNION ALL
  SELECT 'refund', r.refund_id, r.order_id, o.product_id, o.customer_id, r.refunded_at, r.currency,
         (-r.amount_minor)::text, r.platform_minor::text, r.seller_minor::text, r.partner_minor::text
    FROM refunds r JOIN orders o ON o.order_id = r.order_id WHERE ${where.replace(/\$t\./g, 'r.')}`;

/** The lines waiting for a partner's next split bill, up to and including `cycle`. */
export function pendingLines(m: EntityManager, partnerId: string, currency: string, cycle: string): Promise<SplitBillLineRow[]> {
  return m.query(`${SELECT_LINES(`$t.partner_id = $1 AND $t.currency = $2 AND $t.split_bill_id IS NULL AND $t.bill_cycle <= $3`)} ORDER BY happened_at, line_id`, [partnerId, currency, cycle]);
}

/** A page of an issued split bill's lines. */
export function linesOf(m: EntityManager, splitBillId: string, page: { offset: number; limit: number }): Promise<SplitBillLineRow[]> {
  return m.query(`${SELECT_LINES(`$t.split_bill_id = $1`)} ORDER BY happened_at, line_id OFFSET $2 LIMIT $3`, [splitBillId, page.offset, page.limit]);
}

/** The (partner, currency) pairs with lines waiting for a bill up to `cycle`. */
export function partnersWithPendingLines(m: EntityManager, cycle: string): Promise<{ partner_id: string; currency: string }[]> {
  return m.query(
    `SELECT partner_id, currency FROM orders WHERE partner_id IS NOT NULL AND split_bill_id IS NULL AND bill_cycle <= $1
     UNION SELECT partner_id, currency FROM refunds WHERE partner_id IS NOT NULL AND split_bill_id IS NULL AND bill_cycle <= $1
     ORDER BY 1, 2`,
    [cycle],
  );
}

export function lineValue(row: SplitBillLineRow): SplitBillLineValue {
  const money = (minor: string) => Money.fromMinor(minor, row.currency);
  return { kind: row.kind, amount: money(row.amount_minor), parts: { platform: money(row.platform_minor), seller: money(row.seller_minor), partner: money(row.partner_minor) } };
}
