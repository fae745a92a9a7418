import fc from 'fast-check';
import { allCurrencies } from './currency';
import { Decimal } from './decimal';
import { Money } from './money';
import { RoundingMode, divideRounded } from './rounding';
import { addTax, splitInclusive } from './tax';

const minor = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
const currencyCode = fc.constantFrom(...allCurrencies().map((c) => c.code));
const money = fc.tuple(minor, currencyCode).map(([m, c]) => Money.fromMinor(m, c));
const ratio = fc.bigInt({ min: 0n, max: 10n ** 6n });
const rate = fc.integer({ min: 0, max: 300_000 }).map((n) => Decimal.fromParts(BigInt(n), 6)); // 0 % .. 30 %
const abs = (v: bigint) => (v < 0n ? -v : v);

/** Reference half-even via exact rationals compared by cross-multiplication (no shared code). */
function referenceHalfEven(n: bigint, d: bigint): bigint {
  const floor = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));
  const lower = floor(n, d);
  const diff = 2n * (n - lower * d); // compare with d: <, =, >
  if (diff < d) return lower;
  if (diff > d) return lower + 1n;
  return lower % 2n === 0n ? lower : lower + 1n;
}

describe('money laws (property tests)', () => {
  it('allocation always sums exactly to the total, each part within one minor unit of its exact share', () => {
    fc.assert(
      fc.property(money, fc.array(ratio, { minLength: 1, maxLength: 12 }).filter((r) => r.some((x) => x > 0n)), (amount, ratios) => {
        const parts = amount.allocate(ratios);
        expect(Money.sum(parts, amount.currencyCode).equals(amount)).toBe(true);
        const total = ratios.reduce((a, b) => a + b, 0n);
        parts.forEach((part, i) => {
          // |part - amount*ratio/total| < 1 minor unit  <=>  |part*total - amount*ratio| < total
          expect(abs(part.minor * total - amount.minor * ratios[i]) < total).toBe(true);
        });
      }),
    );
  });

  it('an inclusive tax split always adds back to the gross', () => {
    fc.assert(
      fc.property(money, rate, (gross, r) => {
        const { net, tax } = splitInclusive(gross, r);
        expect(net.plus(tax).equals(gross)).toBe(true);
      }),
    );
  });

  it('adding tax and splitting it again returns the net within one minor unit', () => {
    fc.assert(
      fc.property(money, rate, (net, r) => {
        const back = splitInclusive(addTax(net, r).gross, r).net;
        expect(abs(back.minor - net.minor) <= 1n).toBe(true);
      }),
    );
  });

  it('plus and minus are inverse, and plus is commutative', () => {
    fc.assert(
      fc.property(minor, minor, currencyCode, (a, b, c) => {
        const x = Money.fromMinor(a, c);
        const y = Money.fromMinor(b, c);
        expect(x.plus(y).minus(y).equals(x)).toBe(true);
        expect(x.plus(y).equals(y.plus(x))).toBe(true);
      }),
    );
  });

  it('formats and parses back to the same amount for every currency exponent', () => {
    fc.assert(
      fc.property(money, (m) => {
        expect(Money.of(m.toString(), m.currencyCode).equals(m)).toBe(true);
      }),
    );
  });

  it('rounds half to even exactly like an independent reference', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        expect(divideRounded(n, d, RoundingMode.HalfEven)).toBe(referenceHalfEven(n, d));
      }),
    );
  });

  it('orders amounts consistently with their minor units', () => {
    fc.assert(
      fc.property(minor, minor, (a, b) => {
        const x = Money.fromMinor(a, 'CNY');
        const y = Money.fromMinor(b, 'CNY');
        expect(x.compare(y)).toBe(a === b ? 0 : a < b ? -1 : 1);
        expect(x.compare(y)).toBe(-y.compare(x) || 0);
      }),
    );
  });

  it('decimal arithmetic is exact: (a + b) - b = a and a × 1 = a', () => {
    const dec = fc.tuple(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), fc.integer({ min: 0, max: 12 })).map(([m, s]) => Decimal.fromParts(m, s));
    fc.assert(
      fc.property(dec, dec, (a, b) => {
        expect(a.plus(b).minus(b).equals(a)).toBe(true);
        expect(a.times('1').equals(a)).toBe(true);
        expect(Decimal.of(a.toString()).equals(a)).toBe(true);
      }),
    );
  });
});
