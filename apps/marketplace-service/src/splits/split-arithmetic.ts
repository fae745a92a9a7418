import { Decimal, Money } from '@settle/money';
import { SplitRule, sellerPct } from './split-rules';

/** The three parties of a marketplace order, in this order everywhere (ties favour the earlier one). */
export const PARTIES = ['platform', 'seller', 'partner'] as const;
export type Party = (typeof PARTIES)[number];

/** Each party's part of an amount; the parts always add up to the amount exactly. */
export type SplitParts = Record<Party, Money>;

export class RefundExceedsOrderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefundExceedsOrderError';
  }
}

const toArray = (parts: SplitParts) => PARTIES.map((p) => parts[p]);
const fromMinor = (minor: readonly bigint[], currency: string): SplitParts => ({
  platform: Money.fromMinor(minor[0], currency),
  seller: Money.fromMinor(minor[1], currency),
  partner: Money.fromMinor(minor[2], currency),
});

export function totalOf(parts: SplitParts): Money {
  return Money.sum(toArray(parts), parts.platform.currencyCode);
}

/**
 * The split of a paid order (pure). The amount is allocated by the rule's percentages with
 * `Money.allocate`: each party gets its exact share rounded towards zero, and the minor units
 * left over (at most two) go one each to the parties with the largest remainders, the platform
 * first, then the seller, then the partner on equal remainders. The parts add up to the amount
 * exactly. Without a referring partner (no token, or a token that did not verify) the partner's
 * percentage goes to the platform.
 */
export function splitOrder(amount: Money, rule: Pick<SplitRule, 'platformPct' | 'partnerPct'>, referred: boolean): SplitParts {
  if (!amount.isPositive()) throw new RangeError(`An order amount must be positive, not ${amount.toString()}.`);
  const seller = sellerPct(rule);
  const platform = referred ? Decimal.of(rule.platformPct) : Decimal.of(rule.platformPct).plus(rule.partnerPct);
  const partner = referred ? rule.partnerPct : '0';
  const [p, s, r] = amount.allocate([platform, seller, partner]);
  return { platform: p, seller: s, partner: r };
}

/**
 * How much of each party's share `refunded` (cumulative, 0 ≤ refunded ≤ order total) takes back
 * (pure). It is monotone: refunding more never gives a party back less, so no refund ever
 * increases a party's share (a plain largest-remainder allocation of each cumulative total would:
 * the Alabama paradox). The order's minor units are laid out in a fixed schedule, party i's j-th
 * unit at (2j − 1) / (2·share_i) of the way (Sainte-Laguë), ties to the earlier party; refunding R
 * takes back the first R units of the schedule. So refunding everything takes back exactly each
 * share, and each part stays within a minor unit or so of its exact proportion.
 */
export function refundedPortion(split: SplitParts, refunded: Money): SplitParts {
  const shares = toArray(split).map((m) => m.minor);
  if (shares.some((s) => s < 0n)) throw new RangeError('Split parts must not be negative.');
  const total = shares.reduce((a, b) => a + b, 0n);
  const r = refunded.minor;
  if (r < 0n) throw new RangeError('A refunded amount must not be negative.');
  if (r > total) throw new RefundExceedsOrderError(`Refunds of ${refunded.toString()} exceed the order's ${Money.fromMinor(total, refunded.currencyCode).toString()}.`);
  if (r === total) return fromMinor(shares, refunded.currencyCode);
  const taken = shares.map((s) => (s === 0n ? 0n : (r * s) / total)); // floor of the exact share
  // unit (i, j) (j from 1) has the schedule position (2j − 1) / shares[i]; compare by cross-multiplying.
  const before = (i: number, j: bigint, k: number, l: bigint) => {
    const a = (2n * j - 1n) * shares[k];
    const b = (2n * l - 1n) * shares[i];
    return a < b || (a === b && i < k);
  };
  const nextUnit = () => {
    let best = -1;
    for (let k = 0; k < shares.length; k++) {
      if (taken[k] >= shares[k]) continue;
      if (best < 0 || before(k, taken[k] + 1n, best, taken[best] + 1n)) best = k;
    }
    return best;
  };
  const lastUnit = () => {
    let worst = -1;
    for (let i = 0; i < shares.length; i++) {
      if (taken[i] === 0n) continue;
      if (worst < 0 || before(worst, taken[worst], i, taken[i])) worst = i;
    }
    return worst;
  };
  for (let sum = taken.reduce((a, b) => a + b, 0n); sum < r; sum++) taken[nextUnit()] += 1n;
  // The taken units must be the first R of the schedule: swap while a later one is taken before an earlier one.
  for (;;) {
    const last = lastUnit();
    const next = nextUnit();
    if (last < 0 || next < 0 || !before(next, taken[next] + 1n, last, taken[last])) break;
    taken[last] -= 1n;
    taken[next] += 1n;
  }
  return fromMinor(taken, refunded.currencyCode);
}

/**
 * The reversal of one refund (pure), as negative parts: what the cumulative refunds take back
 * after it minus what they took back before it. So the reversals of all an order's refunds add up
 * to exactly the portion of the refunded total, never drift, and a full refund (at once or in
 * pieces) reverses every share exactly. Refunds may never exceed the order.
 */
export function refundReversal(split: SplitParts, refundedBefore: Money, refund: Money): SplitParts {
  if (!refund.isPositive()) throw new RangeError(`A refund must be positive, not ${refund.toString()}.`);
  const after = refundedBefore.plus(refund);
  const orderTotal = totalOf(split);
  if (after.greaterThan(orderTotal)) {
    throw new RefundExceedsOrderError(`A refund of ${refund.toString()} after ${refundedBefore.toString()} already refunded exceeds the order's ${orderTotal.toString()} ${orderTotal.currencyCode}.`);
  }
  const was = refundedPortion(split, refundedBefore);
  const now = refundedPortion(split, after);
  return {
    platform: was.platform.minus(now.platform),
    seller: was.seller.minus(now.seller),
    partner: was.partner.minus(now.partner),
  };
}
