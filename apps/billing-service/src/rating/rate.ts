import { AssociationType, UsageRecordType } from '@settle/contracts';
import { Decimal, Money, RoundingMode } from '@settle/money';

/**
 * The pure arithmetic of rating. No I/O: the service feeds it what it read under locks and writes
 * what it returns.
 *
 * The one rounding point: rated = official × (1 − discount), rounded half-even to the currency's
 * exponent, once per line; the discount amount is official − rated, so the two always add up to
 * the official amount exactly.
 */

/** The kind of record a line prices (a correction or cancellation prices its original's kind). */
export type PricedKind = Extract<UsageRecordType, 'consumption' | 'refund' | 'adjustment'>;

export interface RateInput {
  kind: PricedKind;
  /** As the record states it: ≥ 0 for consumption and refund, signed for an adjustment. */
  officialAmount: Money;
  /** The partner's discount for the service type at the record's time, a fraction in [0, 1); null when none. */
  discountRate: Decimal | null;
  /** 1 consultant-sale, 2 agency-sale. */
  associationType: AssociationType;
}

export interface Rated {
  /** Signed: negative for a refund. */
  official: Money;
  /** The discount rate applied (0 when none applies). */
  discountRate: Decimal;
  /** official − rated, signed like official. */
  discount: Money;
  /** What the line bills, signed. */
  rated: Money;
}

/**
 * Rates one record:
 * - consumption is billed at official × (1 − discount);
 * - a refund gives back what the consumption cost, so it is negative and discounted alike;
 * - an adjustment is a signed amount taken as it is: no discount;
 * - partner discounts apply to agency-sale customers only (the partner buys on the customer's
 *   behalf); a consultant-sale customer pays the platform the official price, and the line is kept
 *   at that price as the basis of the partner's incentives.
 */
export function rate(input: RateInput): Rated {
  const { kind, officialAmount, associationType } = input;
  if (kind !== 'adjustment' && officialAmount.isNegative()) throw new RangeError(`a ${kind} amount must not be negative`);
  const official = kind === 'refund' ? officialAmount.negate() : officialAmount;
  const applies = kind !== 'adjustment' && associationType === AssociationType.AgencySale && input.discountRate !== null;
  const discountRate = applies ? (input.discountRate as Decimal) : Decimal.ZERO;
  if (discountRate.isNegative() || discountRate.compare(Decimal.ONE) >= 0) throw new RangeError(`discount rate ${discountRate.toString()} must be in [0, 1)`);
  const rated = official.times(Decimal.ONE.minus(discountRate), RoundingMode.HalfEven);
  return { official, discountRate, discount: official.minus(rated), rated };
}

/** A partner's discount on one service type over [from, to). */
export interface DiscountPeriod {
  partnerId: string;
  serviceTypeCode: string;
  rate: Decimal;
  from: Date;
  to: Date | null;
}

/** The partner's discount for a service type at `at` (the latest period containing it), or null. */
export function discountAt(discounts: readonly DiscountPeriod[], partnerId: string, serviceTypeCode: string, at: Date): Decimal | null {
  let best: DiscountPeriod | undefined;
  const t = at.getTime();
  for (const d of discounts) {
    if (d.partnerId !== partnerId || d.serviceTypeCode !== serviceTypeCode) continue;
    if (d.from.getTime() <= t && (d.to === null || d.to.getTime() > t) && (!best || d.from.getTime() > best.from.getTime())) best = d;
  }
  return best ? best.rate : null;
}

/** Signed amounts of a line (or of several lines summed). */
export interface LineAmounts {
  official: Money;
  discount: Money;
  rated: Money;
}

export function sumAmounts(lines: readonly LineAmounts[], currencyCode: string): LineAmounts {
  const zero = Money.zero(currencyCode);
  return lines.reduce<LineAmounts>(
    (t, l) => ({ official: t.official.plus(l.official), discount: t.discount.plus(l.discount), rated: t.rated.plus(l.rated) }),
    { official: zero, discount: zero, rated: zero },
  );
}

/** The state of an original record's line when a correction or cancellation of it arrives. */
export interface OriginalLine {
  cycle: string;
  cycleClosed: boolean;
  /** What the original is worth on bills so far: its own line plus earlier correction adjustments. */
  effective: LineAmounts;
}

export type CorrectionPlan =
  /** The original's cycle is open: its line takes the new amounts (the old ones go to its history). */
  | { kind: 're-rate-in-place'; cycle: string; rated: Rated; cancelled: boolean }
  /** The original's cycle is closed: a new line in the next open cycle carries the difference. */
  | { kind: 'adjustment'; cycle: string; delta: LineAmounts; discountRate: Decimal };

/**
 * Where and how a correction (new values for the original) or a cancellation lands. `corrected`
 * is the rating of the corrected values; null for a cancellation, which makes the original worth 0.
 * After close the adjustment is the difference between what the original should be worth and
 * what bills already carry for it, so a second correction after close adjusts only what is left.
 */
export function planCorrection(original: OriginalLine, corrected: Rated | null, nextOpenCycle: (after: string) => string): CorrectionPlan {
  const currency = original.effective.rated.currencyCode;
  const zero = Money.zero(currency);
  const target: Rated = corrected ?? { official: zero, discountRate: Decimal.ZERO, discount: zero, rated: zero };
  if (!original.cycleClosed) return { kind: 're-rate-in-place', cycle: original.cycle, rated: target, cancelled: corrected === null };
  return {
    kind: 'adjustment',
    cycle: nextOpenCycle(original.cycle),
    discountRate: target.discountRate,
    delta: {
      official: target.official.minus(original.effective.official),
      discount: target.discount.minus(original.effective.discount),
      rated: target.rated.minus(original.effective.rated),
    },
  };
}
