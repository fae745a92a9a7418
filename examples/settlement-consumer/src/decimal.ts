/**
 * Exact sums of the decimal strings Settle writes for money ("12.34", "-0.5"): as bigint units of
 * 10^-SCALE, never floats. Enough for a ledger of what arrived; not a money library.
 */
const SCALE = 8;
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

export function toUnits(amount: string): bigint {
  const m = DECIMAL.exec(amount);
  if (!m) throw new Error(`not a decimal amount: ${amount}`);
  const [, sign, whole, fraction = ''] = m;
  if (fraction.length > SCALE) throw new Error(`more than ${SCALE} decimals: ${amount}`);
  const units = BigInt(whole) * 10n ** BigInt(SCALE) + BigInt(fraction.padEnd(SCALE, '0') || '0');
  return sign ? -units : units;
}

/** Units back to a decimal string with at least `minDecimals` decimals and no trailing zeros beyond. */
export function fromUnits(units: bigint, minDecimals = 2): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const base = 10n ** BigInt(SCALE);
  let fraction = (abs % base).toString().padStart(SCALE, '0').replace(/0+$/, '');
  if (fraction.length < minDecimals) fraction = fraction.padEnd(minDecimals, '0');
  return `${negative ? '-' : ''}${abs / base}${fraction ? `.${fraction}` : ''}`;
}

export function addDecimal(a: string, b: string): string {
  return fromUnits(toUnits(a) + toUnits(b));
}
