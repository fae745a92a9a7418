import { Money } from '@settle/money';
import { PartnerProfile, PolicyVersion, appliesToEntry, appliesToPartner, policiesInEffect, policyIncentive } from '../policies/policy-rules';

/**
 * The incentive notice of a partner and period, as a pure function of what incentive accrued
 * from billing's events and the policies (激励通知). No I/O, no clock.
 */

/** One eligible amount incentive accrued: a customer's consumption of a service type, in a mode and period. */
export interface EligibleEntry {
  customerId: string;
  associationType: number;
  serviceTypeCode: string;
  /** The settlement period the consumption belongs to (billing's usage cycle). */
  period: string;
  currency: string;
  /** Signed (a correction after close may lower it). */
  amount: Money;
  /** Where it came from: `bill:<bill_id>:<customer>:<mode>:<service type>` or `adjustment:<id>`. */
  sourceRef: string;
}

export interface PeriodEntries {
  period: string;
  /** Entries of the period already counted on issued notices. */
  issued: EligibleEntry[];
  /** Entries of the period not on any notice yet. */
  added: EligibleEntry[];
  /** Customers whose first eligible consumption with this partner is in this period. */
  newCustomerIds: ReadonlySet<string>;
}

export interface NoticeInput {
  partner: PartnerProfile;
  /** The period the notice is for. */
  period: string;
  currency: string;
  /** Every version of every policy (the calculation picks the one governing each period). */
  policies: readonly PolicyVersion[];
  /** The notice's own period: normally nothing issued yet. */
  current: PeriodEntries;
  /** Earlier periods that already had a notice and received new entries since (late usage, corrections). */
  earlier: readonly PeriodEntries[];
  /** Earlier notices of the partner in this currency whose total was negative and not carried yet. */
  carried?: readonly { noticeId: string; period: string; total: Money }[];
}

export interface NoticeLine {
  /** carry-forward: an earlier notice's negative total, deducted here (it pays no policy). */
  kind: 'earned' | 'adjustment' | 'carry-forward';
  /** The period whose consumption the line pays (earlier than the notice's for an adjustment). */
  period: string;
  policyId: string | null;
  policyCode: string | null;
  policyVersion: number | null;
  serviceTypeCode: string | null;
  /** The eligible amount behind the line (for an adjustment: its change). */
  eligibleAmount: Money;
  incentiveAmount: Money;
  /** The accrued entries the line rests on (for an adjustment: the new ones; for a carry-forward: `notice:<id>`). */
  sourceRefs: string[];
  carriedNoticeId: string | null;
}

export interface NoticeCalculation {
  period: string;
  currency: string;
  lines: NoticeLine[];
  total: Money;
}

interface PolicyServiceLine {
  policy: PolicyVersion;
  serviceTypeCode: string;
  eligible: Money;
  incentive: Money;
}

/**
 * What each policy governing `period` pays on these entries, one line per policy version and
 * service type. A policy's tiers, bonus and cap apply to its whole eligible amount of the period;
 * its incentive (rounded once, in `policyIncentive`) is then allocated to its service types in
 * proportion to their positive eligible amounts, so the lines add up to it exactly.
 */
export function periodLines(partner: PartnerProfile, period: string, currency: string, policies: readonly PolicyVersion[], entries: readonly EligibleEntry[], newCustomerIds: ReadonlySet<string>): PolicyServiceLine[] {
  const zero = Money.zero(currency);
  const out: PolicyServiceLine[] = [];
  for (const policy of policiesInEffect(policies, period)) {
    if (!appliesToPartner(policy, partner) || policy.currency !== currency) continue;
    const mine = entries.filter((e) => e.period === period && appliesToEntry(policy, e));
    if (mine.length === 0) continue;
    const byService = new Map<string, Money>();
    for (const e of mine) byService.set(e.serviceTypeCode, (byService.get(e.serviceTypeCode) ?? zero).plus(e.amount));
    const eligible = Money.sum(mine.map((e) => e.amount), currency);
    const fromNew = Money.sum(mine.filter((e) => newCustomerIds.has(e.customerId)).map((e) => e.amount), currency);
    const incentive = policyIncentive(policy, eligible, fromNew);
    const services = [...byService.entries()].sort(([a], [b]) => a.localeCompare(b));
    const weights = services.map(([, m]) => (m.isPositive() ? m.minor : 0n));
    const shares = weights.some((w) => w > 0n) ? incentive.allocate(weights) : services.map(() => zero);
    services.forEach(([serviceTypeCode, amount], i) => out.push({ policy, serviceTypeCode, eligible: amount, incentive: shares[i] }));
  }
  return out;
}

const keyOf = (l: PolicyServiceLine) => `${l.policy.policyId}\u0000${l.policy.version}\u0000${l.serviceTypeCode}`;

/**
 * The notice: earned lines for the period's own entries, and for each earlier period that got new
 * entries after its notice, adjustment lines of the difference between what the period pays with
 * them and what it paid without them (under the same policy versions, so tiers and caps hold
 * across the notices), and a carry-forward line for each earlier negative notice. Lines with
 * neither eligible amount nor incentive are left out.
 */
export function calculateNotice(input: NoticeInput): NoticeCalculation {
  const { partner, period, currency, policies } = input;
  const lines: NoticeLine[] = [];
  const refsOf = (entries: readonly EligibleEntry[], l: PolicyServiceLine) =>
    entries.filter((e) => e.serviceTypeCode === l.serviceTypeCode && appliesToEntry(l.policy, e)).map((e) => e.sourceRef).sort();

  for (const group of [input.current, ...[...input.earlier].sort((a, b) => a.period.localeCompare(b.period))]) {
    if (group.added.length === 0) continue;
    const before = new Map(periodLines(partner, group.period, currency, policies, group.issued, group.newCustomerIds).map((l) => [keyOf(l), l]));
    const after = periodLines(partner, group.period, currency, policies, [...group.issued, ...group.added], group.newCustomerIds);
    const kind = group.period === period && group.issued.length === 0 ? 'earned' : 'adjustment';
    for (const l of after) {
      const prior = before.get(keyOf(l));
      const eligible = prior ? l.eligible.minus(prior.eligible) : l.eligible;
      const incentive = prior ? l.incentive.minus(prior.incentive) : l.incentive;
      if (eligible.isZero() && incentive.isZero()) continue;
      lines.push({
        kind,
        period: group.period,
        policyId: l.policy.policyId,
        policyCode: l.policy.code,
        policyVersion: l.policy.version,
        serviceTypeCode: l.serviceTypeCode,
        eligibleAmount: eligible,
        incentiveAmount: incentive,
        sourceRefs: refsOf(group.added, l),
        carriedNoticeId: null,
      });
    }
  }
  // A negative balance is never paid out and never forgotten: it is deducted from the next notice.
  for (const c of [...(input.carried ?? [])].sort((a, b) => a.period.localeCompare(b.period))) {
    if (!c.total.isNegative()) continue;
    lines.push({
      kind: 'carry-forward',
      period: c.period,
      policyId: null,
      policyCode: null,
      policyVersion: null,
      serviceTypeCode: null,
      eligibleAmount: Money.zero(currency),
      incentiveAmount: c.total,
      sourceRefs: [`notice:${c.noticeId}`],
      carriedNoticeId: c.noticeId,
    });
  }
  return { period, currency, lines, total: Money.sum(lines.map((l) => l.incentiveAmount), currency) };
}
