import { Money } from '@settle/money';
import { PARTIES, SplitParts } from './split-arithmetic';

/** One line of a partner's split bill: an attributed order's split, or a refund's reversal (negative parts). */
export interface SplitBillLineValue {
  kind: 'order' | 'refund';
  /** The order amount (an order line) or minus the refunded amount (a refund line). */
  amount: Money;
  parts: SplitParts;
}

export interface SplitBillTotals {
  amount: Money;
  platform: Money;
  seller: Money;
  /** What the partner is owed for the period: its shares minus the reversals of refunds. */
  partner: Money;
  orderCount: number;
  refundCount: number;
}

/** The totals of a split bill (pure): plain sums of its lines, so they add up exactly by construction. */
export function splitBillTotals(currency: string, lines: readonly SplitBillLineValue[]): SplitBillTotals {
  const sum = (pick: (l: SplitBillLineValue) => Money) => Money.sum(lines.map(pick), currency);
  const [platform, seller, partner] = PARTIES.map((p) => sum((l) => l.parts[p]));
  return {
    amount: sum((l) => l.amount),
    platform,
    seller,
    partner,
    orderCount: lines.filter((l) => l.kind === 'order').length,
    refundCount: lines.filter((l) => l.kind === 'refund').length,
  };
}

/**
 * What a split bill owes the partner (pure): its lines' partner shares plus what earlier settled
 * bills owed back (`carriedIn`, ≤ 0). Settled, a positive amount is paid (split-settled); a
 * negative one pays nothing and is carried into the next bill, so no reversal is ever lost.
 */
export function partnerOwed(totals: Pick<SplitBillTotals, 'partner'>, carriedIn: Money): { owed: Money; payable: Money; carryForward: Money } {
  if (carriedIn.isPositive()) throw new RangeError('A carried amount is what the partner owes back: zero or less.');
  const owed = totals.partner.plus(carriedIn);
  const zero = Money.zero(owed.currencyCode);
  return owed.isPositive() ? { owed, payable: owed, carryForward: zero } : { owed, payable: zero, carryForward: owed };
}

/** The billing cycle (YYYY-MM, UTC) an instant falls in. */
export function cycleOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

export function nextCycle(cycle: string): string {
  const [y, m] = cycle.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * The cycle whose split bill a line lands in (pure): the cycle it happened in, unless that cycle's
 * split bill for the partner was already issued (then the next cycle not yet issued). So a refund
 * after settlement becomes a reversal in the next period's bill, and an issued bill never changes.
 */
export function lineCycle(happenedAt: Date, lastIssuedCycle: string | null): string {
  const own = cycleOf(happenedAt);
  if (lastIssuedCycle === null || own > lastIssuedCycle) return own;
  return nextCycle(lastIssuedCycle);
}
