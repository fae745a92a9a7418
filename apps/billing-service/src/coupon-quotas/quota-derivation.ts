import { QuotaOperation } from './coupon-quota.entity';

/** What a quota record says moved: `amountMinor` into (grant, issue) or out of (reclaim) `quotaId`. */
export interface QuotaMovement {
  operationType: number;
  quotaId: string;
  parentQuotaId: string | null;
  amountMinor: bigint;
}

export interface DerivedQuota {
  /** Everything ever put into the quota: granted or issued. */
  valueMinor: bigint;
  /** What is left: value, less what it issued onwards and what was reclaimed from it, plus what came back to it. */
  balanceMinor: bigint;
}

/**
 * Every quota's value and balance from its records alone (order does not matter): a grant credits
 * the quota; an issue credits the new quota and debits its parent; a reclaim debits the quota and
 * credits its parent; a coupon debits the quota that paid it, and its reclaim credits it back. The stored balances must equal these; `check` compares them.
 */
export function deriveQuotaBalances(movements: readonly QuotaMovement[]): Map<string, DerivedQuota> {
  const out = new Map<string, DerivedQuota>();
  const at = (id: string) => {
    let q = out.get(id);
    if (!q) out.set(id, (q = { valueMinor: 0n, balanceMinor: 0n }));
    return q;
  };
  for (const m of movements) {
    if (m.amountMinor <= 0n) throw new RangeError(`a quota movement moves a positive amount, not ${m.amountMinor}`);
    const quota = at(m.quotaId);
    switch (m.operationType) {
      case QuotaOperation.Grant:
        quota.valueMinor += m.amountMinor;
        quota.balanceMinor += m.amountMinor;
        break;
      case QuotaOperation.Issue:
        quota.valueMinor += m.amountMinor;
        quota.balanceMinor += m.amountMinor;
        at(requireParent(m)).balanceMinor -= m.amountMinor;
        break;
      case QuotaOperation.Reclaim:
        quota.balanceMinor -= m.amountMinor;
        at(requireParent(m)).balanceMinor += m.amountMinor;
        break;
      case QuotaOperation.CouponIssue:
        quota.balanceMinor -= m.amountMinor;
        break;
      case QuotaOperation.CouponReclaim:
        quota.balanceMinor += m.amountMinor;
        break;
      default:
        throw new RangeError(`unknown quota operation ${m.operationType}`);
    }
  }
  return out;
}

function requireParent(m: QuotaMovement): string {
  if (!m.parentQuotaId) throw new RangeError(`operation ${m.operationType} on ${m.quotaId} names no parent quota`);
  return m.parentQuotaId;
}
