/**
 * ISO 4217 active currency codes and their minor-unit exponents. Most have 2; the exceptions are
 * listed explicitly. (Funds codes like CLF and UYW have 4; XAU-style metals have none and are
 * not money here.)
 */
const TWO_DECIMALS =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG';
const ZERO_DECIMALS = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const THREE_DECIMALS = 'BHD IQD JOD KWD LYD OMR TND';
const FOUR_DECIMALS = 'CLF UYW';

export interface Currency {
  readonly code: string;
  /** Digits after the decimal point of the minor unit (CNY 2, JPY 0, KWD 3). */
  readonly exponent: number;
}

export class UnknownCurrencyError extends Error {
  constructor(code: string) {
    super(`Unknown currency "${code}": expected an active ISO 4217 code such as CNY, USD, EUR`);
    this.name = 'UnknownCurrencyError';
  }
}

const table = new Map<string, Currency>();
for (const [codes, exponent] of [
  [TWO_DECIMALS, 2],
  [ZERO_DECIMALS, 0],
  [THREE_DECIMALS, 3],
  [FOUR_DECIMALS, 4],
] as const) {
  for (const code of codes.split(' ')) table.set(code, Object.freeze({ code, exponent }));
}

export function currency(code: string): Currency {
  const found = table.get(code);
  if (!found) throw new UnknownCurrencyError(code);
  return found;
}

export function isCurrency(code: string): boolean {
  return table.has(code);
}

export function allCurrencies(): Currency[] {
  return [...table.values()];
}
