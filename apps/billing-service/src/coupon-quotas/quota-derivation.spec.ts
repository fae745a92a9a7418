import { QuotaOperation } from './coupon-quota.entity';
import { deriveQuotaBalances } from './quota-derivation';

const { Grant, Issue, Reclaim } = QuotaOperation;

describe('voucher quota balances derived from records', () => {
  it('follows a grant, issues to two resellers and a partial and a full reclaim to the fen', () => {
    const derived = deriveQuotaBalances([
      { operationType: Grant, quotaId: 'root', parentQuotaId: null, amountMinor: 100_000n }, // 1,000.00
      { operationType: Issue, quotaId: 'a', parentQuotaId: 'root', amountMinor: 30_001n }, // 300.01
      { operationType: Issue, quotaId: 'b', parentQuotaId: 'root', amountMinor: 25_000n }, // 250.00
      { operationType: Reclaim, quotaId: 'a', parentQuotaId: 'root', amountMinor: 1n }, // 0.01 back
      { operationType: Reclaim, quotaId: 'b', parentQuotaId: 'root', amountMinor: 25_000n }, // all of b back
    ]);
    // 1,000.00 - 300.01 - 250.00 + 0.01 + 250.00 = 700.00
    expect(derived.get('root')).toEqual({ valueMinor: 100_000n, balanceMinor: 70_000n });
    expect(derived.get('a')).toEqual({ valueMinor: 30_001n, balanceMinor: 30_000n });
    expect(derived.get('b')).toEqual({ valueMinor: 25_000n, balanceMinor: 0n });
  });

  it("takes a partner's coupons out of the quota that paid them and puts a reclaimed coupon's balance back", () => {
    const { CouponIssue, CouponReclaim } = QuotaOperation;
    const derived = deriveQuotaBalances([
      { operationType: Grant, quotaId: 'root', parentQuotaId: null, amountMinor: 50_000n }, // 500.00
      { operationType: CouponIssue, quotaId: 'root', parentQuotaId: null, amountMinor: 5_025n }, // a 50.25 voucher
      { operationType: CouponIssue, quotaId: 'root', parentQuotaId: null, amountMinor: 5_025n }, // and another
      { operationType: CouponReclaim, quotaId: 'root', parentQuotaId: null, amountMinor: 4_000n }, // 40.00 unused comes back
    ]);
    // 500.00 - 2 × 50.25 + 40.00 = 439.50; the value (what was ever granted) does not change.
    expect(derived.get('root')).toEqual({ valueMinor: 50_000n, balanceMinor: 43_950n });
  });

  it('gives the same balances whatever order the records are read in', () => {
    const records = [
      { operationType: Reclaim, quotaId: 'c', parentQuotaId: 'r', amountMinor: 700n },
      { operationType: Grant, quotaId: 'r', parentQuotaId: null, amountMinor: 5_000n },
      { operationType: Issue, quotaId: 'c', parentQuotaId: 'r', amountMinor: 1_234n },
      { operationType: Grant, quotaId: 'r2', parentQuotaId: null, amountMinor: 1n },
    ];
    const forward = deriveQuotaBalances(records);
    const backward = deriveQuotaBalances([...records].reverse());
    expect(forward).toEqual(backward);
    expect(forward.get('r')).toEqual({ valueMinor: 5_000n, balanceMinor: 4_466n });
    expect(forward.get('c')).toEqual({ valueMinor: 1_234n, balanceMinor: 534n });
    expect(forward.get('r2')).toEqual({ valueMinor: 1n, balanceMinor: 1n });
  });

  it('refuses records that cannot be right: no positive amount, no parent, unknown operation', () => {
    expect(() => deriveQuotaBalances([{ operationType: Grant, quotaId: 'r', parentQuotaId: null, amountMinor: 0n }])).toThrow('positive amount');
    expect(() => deriveQuotaBalances([{ operationType: Issue, quotaId: 'c', parentQuotaId: null, amountMinor: 5n }])).toThrow('names no parent quota');
    expect(() => deriveQuotaBalances([{ operationType: 99, quotaId: 'c', parentQuotaId: 'r', amountMinor: 5n }])).toThrow('unknown quota operation 99');
  });
});
