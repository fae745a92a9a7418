import { RoundingMode, divideRounded } from './rounding';

export class InvalidAmountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAmountError';
  }
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;
const pow10 = (n: number) => 10n ** BigInt(n);

export type DecimalInput = Decimal | string | bigint;

/**
 * An exact decimal: an integer mantissa and a scale (digits after the point). For rates, unit
 * prices and quantities that carry more digits than a currency; it never rounds unless asked.
 * Inputs are decimal strings or bigints: a JS number is refused, so no float ever gets in.
 */
export class Decimal {
  private constructor(
    readonly mantissa: bigint,
    readonly scale: number,
  ) {}

  static of(value: DecimalInput): Decimal {
    if (value instanceof Decimal) return value;
    if (typeof value === 'bigint') return new Decimal(value, 0);
    if (typeof value !== 'string') throw new InvalidAmountError(`A decimal must be given as a string or bigint, not ${typeof value}`);
    const m = DECIMAL.exec(value.trim());
    if (!m) throw new InvalidAmountError(`Not a decimal number: "${value}" (expected digits with an optional "." and sign, e.g. "-12.34")`);
    const fraction = m[3] ?? '';
    const mantissa = BigInt(`${m[2]}${fraction}`) * (m[1] === '-' ? -1n : 1n);
    return new Decimal(mantissa, fraction.length);
  }

  static fromParts(mantissa: bigint, scale: number): Decimal {
    if (!Number.isSafeInteger(scale) || scale < 0) throw new InvalidAmountError(`Invalid scale ${scale}`);
    return new Decimal(mantissa, scale);
  }

  static readonly ZERO = new Decimal(0n, 0);
  static readonly ONE = new Decimal(1n, 0);

  /** The mantissa at a larger scale (exact). */
  private at(scale: number): bigint {
    return this.mantissa * pow10(scale - this.scale);
  }

  plus(other: DecimalInput): Decimal {
    const o = Decimal.of(other);
    const scale = Math.max(this.scale, o.scale);
    return new Decimal(this.at(scale) + o.at(scale), scale);
  }

  minus(other: DecimalInput): Decimal {
    return this.plus(Decimal.of(other).negate());
  }

  times(other: DecimalInput): Decimal {
    const o = Decimal.of(other);
    return new Decimal(this.mantissa * o.mantissa, this.scale + o.scale);
  }

  /** this / other, rounded to `scale` digits. */
  dividedBy(other: DecimalInput, scale: number, mode: RoundingMode = RoundingMode.HalfEven): Decimal {
    const o = Decimal.of(other);
    if (o.mantissa === 0n) throw new RangeError('Division by zero');
    // this/other = (m1/10^s1) / (m2/10^s2); scaled by 10^scale.
    const numerator = this.mantissa * pow10(scale + o.scale);
    const denominator = o.mantissa * pow10(this.scale);
    return new Decimal(divideRounded(numerator, denominator, mode), scale);
  }

  negate(): Decimal {
    return new Decimal(-this.mantissa, this.scale);
  }

  abs(): Decimal {
    return this.mantissa < 0n ? this.negate() : this;
  }

  /** Rounded (or extended with zeros) to exactly `scale` digits. */
  round(scale: number, mode: RoundingMode = RoundingMode.HalfEven): Decimal {
    if (scale >= this.scale) return new Decimal(this.at(scale), scale);
    return new Decimal(divideRounded(this.mantissa, pow10(this.scale - scale), mode), scale);
  }

  compare(other: DecimalInput): -1 | 0 | 1 {
    const o = Decimal.of(other);
    const scale = Math.max(this.scale, o.scale);
    const a = this.at(scale);
    const b = o.at(scale);
    return a === b ? 0 : a < b ? -1 : 1;
  }

  equals(other: DecimalInput): boolean {
    return this.compare(other) === 0;
  }

  isZero(): boolean {
    return this.mantissa === 0n;
  }

  isNegative(): boolean {
    return this.mantissa < 0n;
  }

  /** Plain notation, no exponent, trailing zeros kept to the scale: "-12.3400". */
  toString(): string {
    const negative = this.mantissa < 0n;
    const digits = (negative ? -this.mantissa : this.mantissa).toString().padStart(this.scale + 1, '0');
    const body = this.scale === 0 ? digits : `${digits.slice(0, -this.scale)}.${digits.slice(-this.scale)}`;
    return negative ? `-${body}` : body;
  }

  /** Without trailing fractional zeros: "12.34" for "12.3400". */
  normalize(): Decimal {
    let { mantissa, scale } = this;
    while (scale > 0 && mantissa % 10n === 0n) {
      mantissa /= 10n;
      scale -= 1;
    }
    return new Decimal(mantissa, scale);
  }

  toJSON(): string {
    return this.toString();
  }
}
