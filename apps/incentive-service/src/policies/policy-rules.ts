import { Decimal, Money, RoundingMode } from '@settle/money';

/**
 * Incentive policies as data (激励政策), and the pure arithmetic of one policy over one period.
 * No I/O: the policies store loads versions, this decides which applies and what it pays.
 */

/** A progressive tier: its rate applies to the part of the period's eligible amount in (previous up_to, up_to]. */
export interface Tier {
  /** Upper bound (inclusive) in the policy currency, a decimal string; null for the last, open tier. */
  upTo: string | null;
  /** A fraction, e.g. "0.05". */
  rate: string;
}

export type PolicyRate = { kind: 'flat'; rate: string } | { kind: 'tiered'; tiers: Tier[] };

/** One version of a policy: what it pays from `effectiveFrom` (a settlement period YYYY-MM) on. */
export interface PolicyVersion {
  policyId: string;
  /** The incentive policy code the public API reports per service type. */
  code: string;
  name: string;
  version: number;
  /** Partner kinds it applies to (reseller, distributor, solution-provider). */
  partnerKinds: string[];
  /** Partner levels it applies to; empty: every level. */
  partnerLevels: string[];
  /** Service types it pays on. */
  serviceTypeCodes: string[];
  /** The basis: which association modes' eligible amounts count (1 consultant-sale, 2 agency-sale). */
  associationTypes: number[];
  currency: string;
  rate: PolicyRate;
  /** Extra rate on the eligible amount of the partner's new customers (first consumption in the period); null: none. */
  newCustomerBonusRate: string | null;
  /** Most the policy pays a partner per period (bonus included), decimal string; null: no cap. */
  cap: string | null;
  /** Whether partner discounts are allowed on the service types (the public API's field). */
  discountAllowed: boolean;
  /** First settlement period this version governs (inclusive). */
  effectiveFrom: string;
  /** First period the policy no longer governs (exclusive; set when retired); null: open. */
  effectiveTo: string | null;
}

export interface PartnerProfile {
  kind: string;
  level: string;
}

/** The version of a policy that governs `period`: the latest effective from on or before it, unless it ended. */
export function versionInEffect(versions: readonly PolicyVersion[], period: string): PolicyVersion | null {
  let best: PolicyVersion | null = null;
  for (const v of versions) {
    if (v.effectiveFrom <= period && (!best || v.effectiveFrom > best.effectiveFrom || (v.effectiveFrom === best.effectiveFrom && v.version > best.version))) best = v;
  }
  if (!best || (best.effectiveTo !== null && best.effectiveTo <= period)) return null;
  return best;
}

/** The versions governing `period`, one per policy, from every version of every policy. */
export function policiesInEffect(versions: readonly PolicyVersion[], period: string): PolicyVersion[] {
  const byPolicy = new Map<string, PolicyVersion[]>();
  for (const v of versions) byPolicy.set(v.policyId, [...(byPolicy.get(v.policyId) ?? []), v]);
  return [...byPolicy.values()].map((vs) => versionInEffect(vs, period)).filter((v): v is PolicyVersion => v !== null).sort((a, b) => a.code.localeCompare(b.code));
}

export function appliesToPartner(policy: PolicyVersion, partner: PartnerProfile): boolean {
  return policy.partnerKinds.includes(partner.kind) && (policy.partnerLevels.length === 0 || policy.partnerLevels.includes(partner.level));
}

export function appliesToEntry(policy: PolicyVersion, entry: { serviceTypeCode: string; associationType: number; currency: string }): boolean {
  return policy.currency === entry.currency && policy.serviceTypeCodes.includes(entry.serviceTypeCode) && policy.associationTypes.includes(entry.associationType);
}

const dec = (s: string) => Decimal.of(s);
const max0 = (d: Decimal) => (d.isNegative() ? Decimal.ZERO : d);
const min = (a: Decimal, b: Decimal) => (a.compare(b) <= 0 ? a : b);

/** The rate part, exact (no rounding): flat × E, or Σ tier rate × the part of E inside the tier. */
export function rateAmount(rate: PolicyRate, eligible: Decimal): Decimal {
  const e = max0(eligible);
  if (rate.kind === 'flat') return e.times(rate.rate);
  let lower = Decimal.ZERO;
  let total = Decimal.ZERO;
  for (const tier of rate.tiers) {
    const upper = tier.upTo === null ? null : dec(tier.upTo);
    const inside = max0((upper === null ? e : min(e, upper)).minus(lower));
    total = total.plus(inside.times(tier.rate));
    if (upper === null || e.compare(upper) <= 0) break;
    lower = upper;
  }
  return total;
}

/**
 * What one policy version pays a partner for one period, from the period's eligible amount under
 * it and the part of that amount from new customers. The one rounding point of incentive amounts:
 * the exact rate part plus bonus, capped, is rounded half-even to the currency's minor unit here,
 * once per policy and period; lines split it by allocation, which sums exactly.
 */
export function policyIncentive(policy: PolicyVersion, eligible: Money, newCustomerEligible: Money): Money {
  let exact = rateAmount(policy.rate, eligible.toDecimal());
  if (policy.newCustomerBonusRate !== null) exact = exact.plus(max0(newCustomerEligible.toDecimal()).times(policy.newCustomerBonusRate));
  if (policy.cap !== null) exact = min(exact, dec(policy.cap));
  return Money.fromDecimal(exact, policy.currency, RoundingMode.HalfEven);
}

/** Validation of a policy's rate and tiers (the store and the API refuse a version that fails this). */
export function policyProblems(p: Pick<PolicyVersion, 'rate' | 'cap' | 'newCustomerBonusRate' | 'effectiveFrom' | 'effectiveTo'>): string[] {
  const problems: string[] = [];
  const isRate = (r: string) => !dec(r).isNegative() && dec(r).compare(Decimal.ONE) <= 0;
  if (p.rate.kind === 'flat' && !isRate(p.rate.rate)) problems.push('rate must be a fraction between 0 and 1');
  if (p.rate.kind === 'tiered') {
    const tiers = p.rate.tiers;
    if (tiers.length === 0) problems.push('tiers must not be empty');
    tiers.forEach((t, i) => {
      if (!isRate(t.rate)) problems.push(`tiers[${i}].rate must be a fraction between 0 and 1`);
      if (t.upTo === null && i !== tiers.length - 1) problems.push(`only the last tier may be open (tiers[${i}].up_to is null)`);
      if (i === tiers.length - 1 && t.upTo !== null) problems.push('the last tier must be open (up_to null)');
      if (t.upTo !== null && i > 0 && tiers[i - 1].upTo !== null && dec(t.upTo).compare(dec(tiers[i - 1].upTo as string)) <= 0) problems.push(`tiers[${i}].up_to must be above the previous tier's`);
      if (t.upTo !== null && !dec(t.upTo).isNegative() && dec(t.upTo).isZero()) problems.push(`tiers[${i}].up_to must be positive`);
    });
  }
  if (p.newCustomerBonusRate !== null && !isRate(p.newCustomerBonusRate)) problems.push('new_customer_bonus_rate must be a fraction between 0 and 1');
  if (p.cap !== null && dec(p.cap).isNegative()) problems.push('cap must not be negative');
  if (p.effectiveTo !== null && p.effectiveTo <= p.effectiveFrom) problems.push('effective_to must be after effective_from');
  return problems;
}
