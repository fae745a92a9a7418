import { Decimal } from '@settle/money';

/**
 * A split rule (分账规则): how a marketplace order's amount is shared between the platform, the
 * seller and the referring partner. It applies to one product or to a whole category, during an
 * effective period [effectiveFrom, effectiveTo) of instants. Percentages are exact decimal strings.
 *
 * - `platformPct`: the platform's commission;
 * - `partnerPct`: the referring partner's share, paid only when the order was attributed to a
 *   partner through a valid referral token; without one it goes to the platform (the platform
 *   pays no referral fee for an order nobody referred);
 * - the seller gets the rest: 100 − platform − partner.
 *
 * A strict-selection (严选) rule applies only to strict-selection products; where it applies it
 * takes precedence over the standard rule of the same scope.
 */
export interface SplitRule {
  id: string;
  scope: { kind: 'product'; productId: string } | { kind: 'category'; category: string };
  strictSelection: boolean;
  platformPct: string;
  partnerPct: string;
  effectiveFrom: Date;
  /** Exclusive; null: open-ended. */
  effectiveTo: Date | null;
}

/** What a rule is selected for: the product of the order, at the moment it was paid. */
export interface SplitSubject {
  productId: string;
  category: string;
  strictSelection: boolean;
  at: Date;
}

export class SplitRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SplitRuleError';
  }
}

const HUNDRED = Decimal.of('100');

/** Checks a rule's own numbers: shares within 0..100, together at most 100, a non-empty period. */
export function validateSplitRule(rule: Pick<SplitRule, 'platformPct' | 'partnerPct' | 'effectiveFrom' | 'effectiveTo'>): void {
  const platform = Decimal.of(rule.platformPct);
  const partner = Decimal.of(rule.partnerPct);
  if (platform.isNegative() || partner.isNegative()) throw new SplitRuleError('Split percentages must not be negative.');
  if (platform.plus(partner).compare(HUNDRED) > 0) throw new SplitRuleError(`Platform ${rule.platformPct} % and partner ${rule.partnerPct} % exceed 100 %.`);
  if (rule.effectiveTo && rule.effectiveTo.getTime() <= rule.effectiveFrom.getTime()) throw new SplitRuleError('A rule must end after it starts.');
}

/** The seller's percentage: what the platform and the partner leave. */
export function sellerPct(rule: Pick<SplitRule, 'platformPct' | 'partnerPct'>): Decimal {
  return HUNDRED.minus(rule.platformPct).minus(rule.partnerPct);
}

const effectiveAt = (rule: SplitRule, at: Date) => rule.effectiveFrom.getTime() <= at.getTime() && (rule.effectiveTo === null || at.getTime() < rule.effectiveTo.getTime());

const overlaps = (a: SplitRule, b: SplitRule) =>
  a.effectiveFrom.getTime() < (b.effectiveTo?.getTime() ?? Infinity) && b.effectiveFrom.getTime() < (a.effectiveTo?.getTime() ?? Infinity);

const sameSlot = (a: SplitRule, b: SplitRule) =>
  a.strictSelection === b.strictSelection &&
  a.scope.kind === b.scope.kind &&
  (a.scope.kind === 'product' ? a.scope.productId === (b.scope as { productId: string }).productId : a.scope.category === (b.scope as { category: string }).category);

/** A new rule may not overlap another rule of the same scope and kind: selection must be unambiguous. */
export function conflictingRule(existing: readonly SplitRule[], candidate: SplitRule): SplitRule | undefined {
  return existing.find((r) => r.id !== candidate.id && sameSlot(r, candidate) && overlaps(r, candidate));
}

/**
 * Selects the one rule for an order, most specific first:
 * 1. strict-selection product rule (strict-selection products only),
 * 2. product rule,
 * 3. strict-selection category rule (strict-selection products only),
 * 4. category rule;
 * each only when effective at the moment the order was paid. Undefined when none applies.
 * Two effective rules in the same slot are refused (they cannot be created; see `conflictingRule`).
 */
export function selectSplitRule(rules: readonly SplitRule[], subject: SplitSubject): SplitRule | undefined {
  const live = rules.filter((r) => effectiveAt(r, subject.at));
  const slots: Array<(r: SplitRule) => boolean> = [
    (r) => subject.strictSelection && r.strictSelection && r.scope.kind === 'product' && r.scope.productId === subject.productId,
    (r) => !r.strictSelection && r.scope.kind === 'product' && r.scope.productId === subject.productId,
    (r) => subject.strictSelection && r.strictSelection && r.scope.kind === 'category' && r.scope.category === subject.category,
    (r) => !r.strictSelection && r.scope.kind === 'category' && r.scope.category === subject.category,
  ];
  for (const matches of slots) {
    const found = live.filter(matches);
    if (found.length > 1) throw new SplitRuleError(`Rules ${found.map((r) => r.id).join(', ')} overlap for product ${subject.productId}.`);
    if (found.length === 1) return found[0];
  }
  return undefined;
}
