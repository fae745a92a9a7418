import fc from 'fast-check';
import { Money } from '@settle/money';
import { PARTIES, SplitParts, refundReversal, refundedPortion, splitOrder, totalOf } from './split-arithmetic';

const currency = fc.constantFrom('CNY', 'JPY', 'USD', 'KWD');
const amountMinor = fc.bigInt({ min: 1n, max: 10n ** 12n });
const pctOf = (hundredths: number) => `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
/** Percentages with up to two decimals, platform + partner ≤ 100. */
const rule = fc
  .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }))
  .filter(([a, b]) => a + b <= 10_000)
  .map(([a, b]) => ({ platformPct: pctOf(a), partnerPct: pctOf(b), platformHundredths: BigInt(a), partnerHundredths: BigInt(b) }));
const abs = (v: bigint) => (v < 0n ? -v : v);

/** An order and a sequence of refunds (as fractions of what is left) that may refund it in full. */
const scenario = fc.record({
  currency,
  amount: amountMinor,
  rule,
  referred: fc.boolean(),
  refunds: fc.array(fc.bigInt({ min: 1n, max: 1000n }), { minLength: 1, maxLength: 8 }),
  refundAll: fc.boolean(),
});

describe('split laws (property tests)', () => {
  it('the parts of a split always sum exactly to the order, each within one minor unit of its exact share', () => {
    fc.assert(
      fc.property(scenario, ({ currency, amount, rule, referred }) => {
        const order = Money.fromMinor(amount, currency);
        const split = splitOrder(order, rule, referred);
        expect(totalOf(split).equals(order)).toBe(true);
        for (const p of PARTIES) expect(split[p].isNegative()).toBe(false);
        if (!referred) expect(split.partner.isZero()).toBe(true);
        // |part − amount·pct/100| < 1 minor unit, checked in integers at scale 10^4 (pct has 2 decimals → ×100 ×100)
        const platformHundredths = referred ? rule.platformHundredths : rule.platformHundredths + rule.partnerHundredths;
        const partnerHundredths = referred ? rule.partnerHundredths : 0n;
        const sellerHundredths = 10_000n - platformHundredths - partnerHundredths;
        expect(abs(split.platform.minor * 10_000n - amount * platformHundredths) < 10_000n).toBe(true);
        expect(abs(split.seller.minor * 10_000n - amount * sellerHundredths) < 10_000n).toBe(true);
        expect(abs(split.partner.minor * 10_000n - amount * partnerHundredths) < 10_000n).toBe(true);
      }),
    );
  });

  it('the reversals of all refunds sum exactly to the refunded portion, never raise a share, and a full refund reverses every share', () => {
    fc.assert(
      fc.property(scenario, ({ currency, amount, rule, referred, refunds, refundAll }) => {
        const split = splitOrder(Money.fromMinor(amount, currency), rule, referred);
        let refunded = 0n;
        const reversed: Record<string, bigint> = { platform: 0n, seller: 0n, partner: 0n };
        for (const [i, fraction] of refunds.entries()) {
          const left = amount - refunded;
          if (left === 0n) break;
          const isLast = i === refunds.length - 1;
          const refund = isLast && refundAll ? left : (left * fraction) / 1000n || 1n;
          const r = refundReversal(split, Money.fromMinor(refunded, currency), Money.fromMinor(refund, currency));
          expect(totalOf(r).minor).toBe(-refund);
          for (const p of PARTIES) {
            expect(r[p].isPositive()).toBe(false);
            reversed[p] += r[p].minor;
          }
          refunded += refund;
          const portion = refundedPortion(split, Money.fromMinor(refunded, currency));
          for (const p of PARTIES) expect(-reversed[p]).toBe(portion[p].minor);
        }
        if (refundAll) for (const p of PARTIES) expect(-reversed[p]).toBe(split[p].minor);
        expect(refunded <= amount).toBe(true);
      }),
    );
  });

  it('the refunded portion stays within one minor unit of each exact proportional share', () => {
    const parts = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: 0n, max: 10n ** 9n })).filter(([a, b, c]) => a + b + c > 0n);
    fc.assert(
      fc.property(parts, fc.bigInt({ min: 0n, max: 10n ** 6n }), ([a, b, c], per) => {
        const total = a + b + c;
        const refunded = (total * per) / 10n ** 6n;
        const split: SplitParts = { platform: Money.fromMinor(a, 'CNY'), seller: Money.fromMinor(b, 'CNY'), partner: Money.fromMinor(c, 'CNY') };
        const portion = refundedPortion(split, Money.fromMinor(refunded, 'CNY'));
        expect(totalOf(portion).minor).toBe(refunded);
        [a, b, c].forEach((share, i) => {
          const part = portion[PARTIES[i]].minor;
          expect(part <= share).toBe(true);
          expect(abs(part * total - refunded * share) < total).toBe(true);
        });
      }),
    );
  });
});
