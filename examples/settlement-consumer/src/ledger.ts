import { addDecimal } from './decimal';

/** The money movements this integrator understands, by what they mean to a partner. */
export type LedgerColumn = 'billed' | 'bill_paid' | 'incentive_released' | 'incentive_paid' | 'split_settled';

/** Per event type: which column it adds to, and where its partner, amount and currency are. */
export const UNDERSTOOD: Readonly<Record<string, { column: LedgerColumn; amount: string }>> = {
  'settle.billing.bill.generated.v1': { column: 'billed', amount: 'amount_due' },
  'settle.billing.bill-payment.received.v1': { column: 'bill_paid', amount: 'amount' },
  'settle.incentive.payout-released.v1': { column: 'incentive_released', amount: 'amount' },
  'settle.incentive.payout-paid.v1': { column: 'incentive_paid', amount: 'amount' },
  'settle.marketplace.split-settled.v1': { column: 'split_settled', amount: 'amount' },
};

export type LedgerRow = { partner_id: string; currency: string } & Record<LedgerColumn, string> & { events: number };

/** A running ledger per partner and currency: exact sums of the amounts of the events it understood. */
export class Ledger {
  private readonly rows = new Map<string, LedgerRow>();

  /** Adds an event's amount if its type is understood; returns whether it did. */
  apply(type: string, data: Record<string, unknown>): boolean {
    const rule = UNDERSTOOD[type];
    if (!rule) return false;
    const partner = String(data.partner_id);
    const currency = String(data.currency);
    const key = `${partner}/${currency}`;
    const row = this.rows.get(key) ?? { partner_id: partner, currency, billed: '0.00', bill_paid: '0.00', incentive_released: '0.00', incentive_paid: '0.00', split_settled: '0.00', events: 0 };
    row[rule.column] = addDecimal(row[rule.column], String(data[rule.amount]));
    row.events += 1;
    this.rows.set(key, row);
    return true;
  }

  snapshot(): LedgerRow[] {
    return [...this.rows.values()].map((r) => ({ ...r })).sort((a, b) => `${a.partner_id}/${a.currency}`.localeCompare(`${b.partner_id}/${b.currency}`));
  }
}
