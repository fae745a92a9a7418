import { Money } from '@settle/money';
import { AccountRef, UnbalancedEntryError, reversal, thresholdCrossing, transfer, validatePostings } from './postings';

const cny = (a: string) => Money.of(a, 'CNY');
const partnerCash: AccountRef = { ownerKind: 'partner', ownerId: 'p1', accountType: 'cash', currency: 'CNY' };
const customerCash: AccountRef = { ownerKind: 'customer', ownerId: 'c1', accountType: 'cash', currency: 'CNY' };
const platformUsd: AccountRef = { ownerKind: 'platform', ownerId: 'platform', accountType: 'funding-source', currency: 'USD' };

describe('journal entry rules', () => {
  it('accepts postings that sum to zero per currency', () => {
    expect(() => validatePostings(transfer(partnerCash, customerCash, cny('12.34')))).not.toThrow();
    const fx = [
      ...transfer(partnerCash, customerCash, cny('1.00')),
      { account: platformUsd, amount: Money.of('-2.00', 'USD') },
      { account: { ...platformUsd, accountType: 'payouts' }, amount: Money.of('2.00', 'USD') },
    ];
    expect(() => validatePostings(fx)).not.toThrow();
  });

  it('refuses an entry that does not balance, naming the currency and the difference', () => {
    expect(() => validatePostings([{ account: partnerCash, amount: cny('-10.00') }, { account: customerCash, amount: cny('9.99') }])).toThrow(new UnbalancedEntryError('postings in CNY sum to -0.01, not 0'));
    // Balanced in total but not per currency.
    expect(() => validatePostings([{ account: partnerCash, amount: cny('-2.00') }, { account: platformUsd, amount: Money.of('2.00', 'USD') }])).toThrow(/postings in CNY sum to -2.00/);
  });

  it('refuses single, zero, duplicate and wrong-currency postings', () => {
    expect(() => validatePostings([{ account: partnerCash, amount: cny('1.00') }])).toThrow(/at least two postings/);
    expect(() => validatePostings([{ account: partnerCash, amount: cny('0.00') }, { account: customerCash, amount: cny('0.00') }])).toThrow(/is zero/);
    expect(() => validatePostings([{ account: partnerCash, amount: cny('-1.00') }, { account: partnerCash, amount: cny('1.00') }])).toThrow(/two postings to partner:p1:cash:CNY/);
    expect(() => validatePostings([{ account: partnerCash, amount: Money.of('-1.00', 'USD') }, { account: customerCash, amount: cny('1.00') }])).toThrow(/posting of USD to partner:p1:cash:CNY/);
    expect(() => transfer(partnerCash, customerCash, cny('-1.00'))).toThrow(/positive amount/);
  });

  it('reverses an entry with the opposite postings, which balance too', () => {
    const original = transfer(partnerCash, customerCash, cny('5.55'));
    const back = reversal(original);
    expect(back.map((p) => [p.account.ownerId, p.amount.toString()])).toEqual([
      ['p1', '5.55'],
      ['c1', '-5.55'],
    ]);
    expect(() => validatePostings(back)).not.toThrow();
  });

  it('tells a fall below the threshold from a recovery, and neither for moves on one side', () => {
    expect(thresholdCrossing(10_000n, 9_999n, 10_000n)).toBe('fell-below');
    expect(thresholdCrossing(9_999n, 5_000n, 10_000n)).toBeNull();
    expect(thresholdCrossing(5_000n, 10_000n, 10_000n)).toBe('recovered');
    expect(thresholdCrossing(20_000n, 15_000n, 10_000n)).toBeNull();
  });
});
