import { Money } from '@settle/money';
import { TAX_RULES, TaxRule, invoiceAmountsOf, taxRuleFor } from './tax-rules';

const cny = (a: string) => Money.of(a, 'CNY');
const parts = (a: ReturnType<typeof invoiceAmountsOf>) => [a.net.toString(), a.tax.toString(), a.gross.toString(), a.taxRate];

describe('invoice amounts by taxpayer identity, before and after the 2019 agreement update', () => {
  it('before 2019: excludes the platform’s 6 % VAT, then re-grosses at the partner’s rate, so general and small-scale taxpayers differ', () => {
    // 1,234.56 / 1.06 = 1,164.679… → 1,164.68
    expect(parts(invoiceAmountsOf(cny('1234.56'), '2018-12', 'general'))).toEqual(['1164.68', '69.88', '1234.56', '0.06']);
    // 1,164.68 × 3 % = 34.9404 → 34.94
    expect(parts(invoiceAmountsOf(cny('1234.56'), '2018-12', 'small-scale'))).toEqual(['1164.68', '34.94', '1199.62', '0.03']);
  });

  it('from 2019-01: the invoice amount equals the notice amount for either identity; only the split differs', () => {
    expect(parts(invoiceAmountsOf(cny('1234.56'), '2019-01', 'general'))).toEqual(['1164.68', '69.88', '1234.56', '0.06']);
    // 1,234.56 / 1.03 = 1,198.6019… → 1,198.60
    expect(parts(invoiceAmountsOf(cny('1234.56'), '2019-01', 'small-scale'))).toEqual(['1198.60', '35.96', '1234.56', '0.03']);
  });

  it('reads the switch date and the rates from the rules, not from code', () => {
    expect(taxRuleFor('2018-12').mode).toBe('regross');
    expect(taxRuleFor('2019-01').mode).toBe('notice-amount');
    const moved: TaxRule[] = [
      { ...TAX_RULES[0], to: '2020-01', partnerRates: { general: '0.09', 'small-scale': '0.01' } },
      { ...TAX_RULES[1], from: '2020-01' },
    ];
    // 1,060.00 / 1.06 = 1,000.00; small-scale at 1 % under these rules: 1,010.00
    expect(parts(invoiceAmountsOf(cny('1060.00'), '2019-06', 'small-scale', moved))).toEqual(['1000.00', '10.00', '1010.00', '0.01']);
    expect(() => invoiceAmountsOf(cny('1.00'), '2018-06', 'general', [TAX_RULES[1]])).toThrow(RangeError);
  });
});
