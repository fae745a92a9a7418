import { Decimal, DecimalInput } from './decimal';
import { Money } from './money';
import { RoundingMode, divideRounded } from './rounding';

export interface TaxSplit {
  net: Money;
  tax: Money;
  gross: Money;
}

function rateOf(rate: DecimalInput): Decimal {
  const r = Decimal.of(rate);
  if (r.isNegative()) throw new RangeError(`A tax rate cannot be negative: ${r.toString()}`);
  return r;
}

/**
 * The amount excluding tax from an amount including it: net = gross / (1 + rate), rounded at
 * the currency's exponent; tax is the difference, so net + tax is exactly gross.
 */
export function splitInclusive(gross: Money, rate: DecimalInput, mode: RoundingMode = RoundingMode.HalfEven): TaxSplit {
  const r = rateOf(rate);
  const scale = 10n ** BigInt(r.scale);
  const netMinor = divideRounded(gross.minor * scale, scale + r.mantissa, mode);
  const net = Money.fromMinor(netMinor, gross.currencyCode);
  return { net, tax: gross.minus(net), gross };
}

/** Tax added to an amount excluding it: tax = net × rate rounded; gross = net + tax. */
export function addTax(net: Money, rate: DecimalInput, mode: RoundingMode = RoundingMode.HalfEven): TaxSplit {
  const tax = net.times(rateOf(rate), mode);
  return { net, tax, gross: net.plus(tax) };
}
