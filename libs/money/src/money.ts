import { Currency, currency } from './currency';
import { Decimal, DecimalInput, InvalidAmountError } from './decimal';
import { RoundingMode, divideRounded } from './rounding';

export class CurrencyMismatchError extends Error {
  constructor(a: string, b: string) {
    super(`Currency mismatch: ${a} and ${b} cannot be combined`);
    this.name = 'CurrencyMismatchError';
  }
}

export class InvalidAllocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAllocationError';
  }
}

/**
 * An exact amount of one currency, held as an integer number of minor units (fen, cents) at the
 * currency's ISO 4217 exponent. Rounding happens only where a method says so, half-even unless
 * another mode is named.
 */
export class Money {
  private constructor(
    readonly minor: bigint,
    readonly currency: Currency,
  ) {}

  /** Exact: "12.34" CNY; more decimals than the currency has is an error. */
  static of(amount: string, currencyCode: string): Money {
    const cur = currency(currencyCode);
    const value = Decimal.of(amount);
    if (value.normalize().scale > cur.exponent) {
      throw new InvalidAmountError(`${amount} has more decimals than ${cur.code} allows (${cur.exponent}); use Money.parse to round`);
    }
    return new Money(value.round(cur.exponent).mantissa, cur);
  }

  /** Rounds extra digits with `mode` (half-even by default). */
  static parse(amount: string, currencyCode: string, mode: RoundingMode = RoundingMode.HalfEven): Money {
    return Money.fromDecimal(Decimal.of(amount), currencyCode, mode);
  }

  static fromDecimal(value: Decimal, currencyCode: string, mode: RoundingMode = RoundingMode.HalfEven): Money {
    const cur = currency(currencyCode);
    return new Money(value.round(cur.exponent, mode).mantissa, cur);
  }

  static fromMinor(minor: bigint | string, currencyCode: string): Money {
    if (typeof minor === 'string' && !/^-?\d+$/.test(minor)) throw new InvalidAmountError(`Minor units must be an integer, not "${minor}"`);
    if (typeof minor !== 'bigint' && typeof minor !== 'string') throw new InvalidAmountError('Minor units must be a bigint or an integer string');
    return new Money(BigInt(minor), currency(currencyCode));
  }

  static zero(currencyCode: string): Money {
    return new Money(0n, currency(currencyCode));
  }

  static sum(amounts: readonly Money[], currencyCode: string): Money {
    return amounts.reduce((total, m) => total.plus(m), Money.zero(currencyCode));
  }

  get currencyCode(): string {
    return this.currency.code;
  }

  private same(other: Money): void {
    if (other.currency.code !== this.currency.code) throw new CurrencyMismatchError(this.currency.code, other.currency.code);
  }

  plus(other: Money): Money {
    this.same(other);
    return new Money(this.minor + other.minor, this.currency);
  }

  minus(other: Money): Money {
    this.same(other);
    return new Money(this.minor - other.minor, this.currency);
  }

  negate(): Money {
    return new Money(-this.minor, this.currency);
  }

  abs(): Money {
    return this.minor < 0n ? this.negate() : this;
  }

  /** Multiplied by an exact factor (quantity, rate), rounded once to the currency. */
  times(factor: DecimalInput, mode: RoundingMode = RoundingMode.HalfEven): Money {
    const f = Decimal.of(factor);
    return new Money(divideRounded(this.minor * f.mantissa, 10n ** BigInt(f.scale), mode), this.currency);
  }

  /** `percent("6")` is 6 % of this amount. */
  percent(pct: DecimalInput, mode: RoundingMode = RoundingMode.HalfEven): Money {
    const p = Decimal.of(pct);
    return new Money(divideRounded(this.minor * p.mantissa, 100n * 10n ** BigInt(p.scale), mode), this.currency);
  }

  /**
   * Splits the amount by ratios so that the parts always add up to it exactly: each part gets its
   * proportional share rounded towards zero, and the minor units left over go one each to the
   * parts with the largest remainders (earlier parts first on ties).
   */
  allocate(ratios: readonly DecimalInput[]): Money[] {
    if (ratios.length === 0) throw new InvalidAllocationError('Allocation needs at least one ratio');
    const decimals = ratios.map((r) => Decimal.of(r));
    if (decimals.some((r) => r.isNegative())) throw new InvalidAllocationError('Allocation ratios must not be negative');
    const scale = Math.max(...decimals.map((r) => r.scale));
    const weights = decimals.map((r) => r.round(scale).mantissa);
    const total = weights.reduce((a, b) => a + b, 0n);
    if (total === 0n) throw new InvalidAllocationError('Allocation ratios must not all be zero');
    const sign = this.minor < 0n ? -1n : 1n;
    const amount = this.minor * sign;
    const shares = weights.map((w) => (amount * w) / total);
    const remainders = weights.map((w, i) => ({ i, rest: amount * w - shares[i] * total }));
    let left = amount - shares.reduce((a, b) => a + b, 0n);
    remainders.sort((a, b) => (b.rest > a.rest ? 1 : b.rest < a.rest ? -1 : a.i - b.i));
    for (const { i } of remainders) {
      if (left === 0n) break;
      shares[i] += 1n;
      left -= 1n;
    }
    return shares.map((s) => new Money(s * sign, this.currency));
  }

  allocateEvenly(parts: number): Money[] {
    if (!Number.isSafeInteger(parts) || parts < 1) throw new InvalidAllocationError('Parts must be a positive integer');
    return this.allocate(Array.from({ length: parts }, () => 1n));
  }

  compare(other: Money): -1 | 0 | 1 {
    this.same(other);
    return this.minor === other.minor ? 0 : this.minor < other.minor ? -1 : 1;
  }

  equals(other: Money): boolean {
    return this.currency.code === other.currency.code && this.minor === other.minor;
  }

  greaterThan(other: Money): boolean {
    return this.compare(other) > 0;
  }

  lessThan(other: Money): boolean {
    return this.compare(other) < 0;
  }

  isZero(): boolean {
    return this.minor === 0n;
  }

  isNegative(): boolean {
    return this.minor < 0n;
  }

  isPositive(): boolean {
    return this.minor > 0n;
  }

  toDecimal(): Decimal {
    return Decimal.fromParts(this.minor, this.currency.exponent);
  }

  /** "12.34", "-0.05", "100" for JPY, "1.000" for KWD. */
  toString(): string {
    return this.toDecimal().toString();
  }

  /** The API's shape: the amount as a decimal string, never a float. */
  toJSON(): { amount: string; currency: string } {
    return { amount: this.toString(), currency: this.currency.code };
  }
}
