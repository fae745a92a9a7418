/** How a value that falls between two representable values is resolved. */
export enum RoundingMode {
  /** To the nearest; ties to the even neighbour (banker's rounding). The platform's default. */
  HalfEven = 'HALF_EVEN',
  /** To the nearest; ties away from zero. */
  HalfUp = 'HALF_UP',
  /** Towards zero (truncate). */
  Down = 'DOWN',
  /** Away from zero. */
  Up = 'UP',
  /** Towards negative infinity. */
  Floor = 'FLOOR',
  /** Towards positive infinity. */
  Ceiling = 'CEILING',
}

const abs = (v: bigint) => (v < 0n ? -v : v);

/** numerator / denominator as an integer, rounded with `mode`. Exact: bigint only. */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode = RoundingMode.HalfEven): bigint {
  if (denominator === 0n) throw new RangeError('Division by zero');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const quotient = numerator / denominator; // truncates towards zero
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const sign = numerator < 0n ? -1n : 1n;
  const awayFromZero = quotient + sign;
  const twiceRemainder = abs(remainder) * 2n;
  switch (mode) {
    case RoundingMode.Down:
      return quotient;
    case RoundingMode.Up:
      return awayFromZero;
    case RoundingMode.Floor:
      return sign < 0n ? awayFromZero : quotient;
    case RoundingMode.Ceiling:
      return sign > 0n ? awayFromZero : quotient;
    case RoundingMode.HalfUp:
      return twiceRemainder >= denominator ? awayFromZero : quotient;
    case RoundingMode.HalfEven:
      if (twiceRemainder > denominator) return awayFromZero;
      if (twiceRemainder < denominator) return quotient;
      return quotient % 2n === 0n ? quotient : awayFromZero;
  }
}
