import { Decimal, Money, RoundingMode, addTax, splitInclusive } from '@settle/money';

export type TaxpayerType = 'general' | 'small-scale';

/**
 * How an incentive notice's amount becomes the invoice the partner issues, over settlement
 * periods [from, to). Data, not code: a new agreement is a new row.
 * - `notice-amount`: the invoice's gross is the notice amount (periods from 2019-01-01, after the
 *   2019 agreement update); net and tax split out at the partner's rate.
 * - `regross`: the notice amount includes the platform's VAT; the invoice is the amount excluding
 *   it, re-grossed at the rate of the partner's taxpayer identity (general vs small-scale differ).
 */
export interface TaxRule {
  from: string;
  to: string | null;
  mode: 'notice-amount' | 'regross';
  /** The platform's VAT rate contained in a notice amount (regross only). */
  platformVatRate: string;
  /** The VAT rate of the invoice, per taxpayer identity. */
  partnerRates: Record<TaxpayerType, string>;
}

export const TAX_RULES: readonly TaxRule[] = [
  { from: '0000-01', to: '2019-01', mode: 'regross', platformVatRate: '0.06', partnerRates: { general: '0.06', 'small-scale': '0.03' } },
  { from: '2019-01', to: null, mode: 'notice-amount', platformVatRate: '0.06', partnerRates: { general: '0.06', 'small-scale': '0.03' } },
];

export function taxRuleFor(period: string, rules: readonly TaxRule[] = TAX_RULES): TaxRule {
  // A quarter or other period label is ordered by its year and first month (e.g. "2018-Q4" ≥ "2018-").
  const rule = rules.find((r) => r.from <= period && (r.to === null || period < r.to));
  if (!rule) throw new RangeError(`no tax rule covers settlement period ${period}`);
  return rule;
}

export interface InvoiceAmounts {
  net: Money;
  tax: Money;
  gross: Money;
  taxRate: string;
  taxpayerType: TaxpayerType;
}

/**
 * The invoice amounts of a notice amount. The rounding point, documented once: the **net** is
 * rounded half-even to the currency's minor unit (from gross ÷ (1 + rate), or from the notice ÷
 * (1 + platform VAT) before 2019); the tax is then the gross less the net (from 2019) or the rounded
 * net × the partner's rate (before 2019), and net + tax = gross exactly in both.
 */
export function invoiceAmountsOf(notice: Money, period: string, taxpayerType: TaxpayerType, rules: readonly TaxRule[] = TAX_RULES): InvoiceAmounts {
  const rule = taxRuleFor(period, rules);
  const rate = rule.partnerRates[taxpayerType];
  if (rule.mode === 'notice-amount') {
    const { net, tax, gross } = splitInclusive(notice, rate, RoundingMode.HalfEven);
    return { net, tax, gross, taxRate: Decimal.of(rate).toString(), taxpayerType };
  }
  const { net: excluding } = splitInclusive(notice, rule.platformVatRate, RoundingMode.HalfEven);
  const { net, tax, gross } = addTax(excluding, rate, RoundingMode.HalfEven);
  return { net, tax, gross, taxRate: Decimal.of(rate).toString(), taxpayerType };
}
