import { Money } from '@settle/money';
import { RefundExceedsOrderError, SplitParts, refundReversal, refundedPortion, splitOrder, totalOf } from './split-arithmetic';
import { cycleOf, lineCycle, nextCycle, partnerOwed, splitBillTotals } from './split-bill-arithmetic';

const cny = (a: string) => Money.of(a, 'CNY');
const view = (p: SplitParts) => ({ platform: p.platform.toString(), seller: p.seller.toString(), partner: p.partner.toString() });

describe('the split of an order', () => {
  it('gives the odd cent to the party with the largest remainder (10.01 CNY at 10 % / 5 %: seller 8.5085 → 8.51)', () => {
    // exact: platform 1.001, seller 8.5085, partner 0.5005 → 1.00 + 8.50 + 0.50 = 10.00, one fen left
    expect(view(splitOrder(cny('10.01'), { platformPct: '10', partnerPct: '5' }, true))).toEqual({ platform: '1.00', seller: '8.51', partner: '0.50' });
  });

  it('breaks equal remainders towards the earlier party: platform, then seller, then partner', () => {
    // 0.01 at 20 / 40 / 40: exact 0.002, 0.004, 0.004 → all zero, the fen goes to the seller (tie with the partner)
    expect(view(splitOrder(cny('0.01'), { platformPct: '20', partnerPct: '40' }, true))).toEqual({ platform: '0.00', seller: '0.01', partner: '0.00' });
    // 0.02 at 33.33 / 33.34 / 33.33 (seller 33.34): exact 0.006666, 0.006668, 0.006666 → seller first, then platform
    expect(view(splitOrder(cny('0.02'), { platformPct: '33.33', partnerPct: '33.33' }, true))).toEqual({ platform: '0.01', seller: '0.01', partner: '0.00' });
  });

  it('splits between three parties with two leftover cents (99.99 at 12.5 % / 7.25 %)', () => {
    // exact: platform 12.49875, seller 80.24197…, partner 7.24927… → 12.49 + 80.24 + 7.24 = 99.97, two fen left:
    // remainders .875 (platform), .275 (partner), .197 (seller) → platform 12.50, partner 7.25
    const split = splitOrder(cny('99.99'), { platformPct: '12.5', partnerPct: '7.25' }, true);
    expect(view(split)).toEqual({ platform: '12.50', seller: '80.24', partner: '7.25' });
    expect(totalOf(split).toString()).toBe('99.99');
  });

  it('gives the partner share to the platform when no partner referred the order', () => {
    expect(view(splitOrder(cny('100.00'), { platformPct: '10', partnerPct: '20' }, false))).toEqual({ platform: '30.00', seller: '70.00', partner: '0.00' });
  });

  it('splits a 0-decimal currency in whole yen (1001 JPY at 10 % / 5 %)', () => {
    // exact 100.1, 850.85, 50.05 → 100 + 850 + 50 = 1000, the yen left goes to the seller (.85)
    const split = splitOrder(Money.of('1001', 'JPY'), { platformPct: '10', partnerPct: '5' }, true);
    expect(view(split)).toEqual({ platform: '100', seller: '851', partner: '50' });
  });

  it('refuses an order that is not positive', () => {
    expect(() => splitOrder(cny('0.00'), { platformPct: '10', partnerPct: '5' }, true)).toThrow(RangeError);
  });
});

describe('the reversal of refunds', () => {
  const split = splitOrder(cny('100.00'), { platformPct: '10', partnerPct: '20' }, true); // 10.00 / 70.00 / 20.00

  it('reverses a partial refund proportionally, the odd cent to the earliest unit of the schedule', () => {
    // 33.33 of 100.00: exact 3.333, 23.331, 6.666; floors 3.33 + 23.33 + 6.66 = 33.32; the next unit of the
    // schedule is the partner's 667th (1333/2000 = .6665 < seller .66671 < platform .667)
    expect(view(refundReversal(split, cny('0.00'), cny('33.33')))).toEqual({ platform: '-3.33', seller: '-23.33', partner: '-6.67' });
  });

  it('makes the reversals of all refunds add up to each share exactly when the order is refunded in full', () => {
    const first = refundReversal(split, cny('0.00'), cny('33.33'));
    const second = refundReversal(split, cny('33.33'), cny('33.33'));
    const third = refundReversal(split, cny('66.66'), cny('33.34'));
    const sum = (p: 'platform' | 'seller' | 'partner') => first[p].plus(second[p]).plus(third[p]).toString();
    expect({ platform: sum('platform'), seller: sum('seller'), partner: sum('partner') }).toEqual({ platform: '-10.00', seller: '-70.00', partner: '-20.00' });
    // cumulative 66.66: floors 6.66 + 46.66 + 13.33 = 66.65; next units by position: platform 1333/1000 = 1.333 before
    // seller 9333/7000 = 1.33329 before partner 2667/2000 = 1.3335 → 6.67 / 46.66 / 13.33, minus the first refund's portion
    expect(view(second)).toEqual({ platform: '-3.34', seller: '-23.33', partner: '-6.66' });
  });

  it('reverses a full refund at once exactly', () => {
    expect(view(refundReversal(split, cny('0.00'), cny('100.00')))).toEqual({ platform: '-10.00', seller: '-70.00', partner: '-20.00' });
  });

  it('never lets one refund raise a share (no Alabama paradox): 0.07 split 0.01 / 0.03 / 0.03, refunds of 0.03 then 0.01', () => {
    // A largest-remainder split of each cumulative total would give the platform 0.01 after 0.03 and 0.00 after 0.04.
    const tiny: SplitParts = { platform: cny('0.01'), seller: cny('0.03'), partner: cny('0.03') };
    const first = refundReversal(tiny, cny('0.00'), cny('0.03'));
    const second = refundReversal(tiny, cny('0.03'), cny('0.01'));
    for (const p of [first, second]) for (const part of Object.values(p)) expect(part.isPositive()).toBe(false);
    expect(totalOf(first).toString()).toBe('-0.03');
    expect(totalOf(second).toString()).toBe('-0.01');
  });

  it('refuses refunds beyond the order', () => {
    expect(() => refundReversal(split, cny('90.00'), cny('10.01'))).toThrow(RefundExceedsOrderError);
    expect(() => refundedPortion(split, cny('100.01'))).toThrow(RefundExceedsOrderError);
    expect(() => refundReversal(split, cny('0.00'), cny('0.00'))).toThrow(RangeError);
  });

  it('reverses a JPY refund in whole yen', () => {
    const yen = splitOrder(Money.of('1001', 'JPY'), { platformPct: '10', partnerPct: '5' }, true); // 100 / 851 / 50
    const r = refundReversal(yen, Money.of('0', 'JPY'), Money.of('500', 'JPY'));
    // exact 49.95, 425.07, 24.98 → 49 + 425 + 24 = 498; two more yen by the schedule: platform (99/200 = .495), partner (49/100 = .49 — first)
    expect(view(r)).toEqual({ platform: '-50', seller: '-425', partner: '-25' });
  });
});

describe('split bills across periods', () => {
  it('puts a refund after settlement into the next period as a reversal, and leaves the settled bill unchanged', () => {
    const rule = { platformPct: '10', partnerPct: '20' };
    const order = splitOrder(cny('100.00'), rule, true);
    const october = splitBillTotals('CNY', [{ kind: 'order', amount: cny('100.00'), parts: order }]);
    expect(october.partner.toString()).toBe('20.00'); // settled

    const refundedAt = new Date('2026-10-31T23:59:59Z'); // happened in October, but October's bill is issued
    expect(lineCycle(refundedAt, '2026-10')).toBe('2026-11');
    const reversal = refundReversal(order, cny('0.00'), cny('50.00'));
    const newOrder = splitOrder(cny('30.00'), rule, true);
    const november = splitBillTotals('CNY', [
      { kind: 'order', amount: cny('30.00'), parts: newOrder },
      { kind: 'refund', amount: cny('-50.00'), parts: reversal },
    ]);
    expect({ amount: november.amount.toString(), platform: november.platform.toString(), seller: november.seller.toString(), partner: november.partner.toString() }).toEqual({
      amount: '-20.00',
      platform: '-2.00',
      seller: '-14.00',
      partner: '-4.00',
    });
    expect([november.orderCount, november.refundCount]).toEqual([1, 1]);
  });

  it('carries what a bill owes back into the next bill, so a reversal after settlement is never lost', () => {
    const november = partnerOwed({ partner: cny('-4.00') }, cny('0.00'));
    expect([november.owed, november.payable, november.carryForward].map(String)).toEqual(['-4.00', '0.00', '-4.00']);
    const december = partnerOwed({ partner: cny('10.00') }, november.carryForward);
    expect([december.owed, december.payable, december.carryForward].map(String)).toEqual(['6.00', '6.00', '0.00']);
    const january = partnerOwed({ partner: cny('3.00') }, cny('-3.00'));
    expect([january.payable, january.carryForward].map(String)).toEqual(['0.00', '0.00']);
    expect(() => partnerOwed({ partner: cny('1.00') }, cny('0.01'))).toThrow(RangeError);
  });

  it('assigns lines to the cycle they happened in while it is open', () => {
    expect(cycleOf(new Date('2026-12-31T23:59:59.999Z'))).toBe('2026-12');
    expect(lineCycle(new Date('2026-11-05T00:00:00Z'), null)).toBe('2026-11');
    expect(lineCycle(new Date('2026-11-05T00:00:00Z'), '2026-10')).toBe('2026-11');
    expect(lineCycle(new Date('2026-09-05T00:00:00Z'), '2026-10')).toBe('2026-11');
    expect(nextCycle('2026-12')).toBe('2027-01');
  });
});
