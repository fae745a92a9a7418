import { Money } from '@settle/money';
import { invoiceAmountsOf } from '../../tax/tax-rules';
import { calculateNotice } from '../notice-calculation';
import { EC2, entry, period, policy, reseller, rows } from './scenario-fixtures';

describe('a 0-decimal currency (JPY)', () => {
  const yen = (p: Parameters<typeof policy>[0]) => policy({ currency: 'JPY', ...p });
  const noticeOf = (pol: ReturnType<typeof policy>, amount: string) =>
    calculateNotice({ partner: reseller, period: '2025-05', currency: 'JPY', policies: [pol], current: period('2025-05', [entry(amount, { currency: 'JPY' })]), earlier: [] });

  it('rounds the incentive to whole yen, half-even, once per policy', () => {
    // 123,457 × 3.5 % = 4,320.995 → 4,321
    expect(rows(noticeOf(yen({ code: 'INC-JP', rate: { kind: 'flat', rate: '0.035' } }), '123457'))).toEqual([['earned', '2025-05', 'INC-JP@1', EC2, '123457', '4321']]);
    // tiers: 100,000 × 2 % + 50,001 × 4 % = 4,000.04 → 4,000
    expect(noticeOf(yen({ rate: { kind: 'tiered', tiers: [{ upTo: '100000', rate: '0.02' }, { upTo: null, rate: '0.04' }] } }), '150001').total.toString()).toBe('4000');
    expect(noticeOf(yen({ rate: { kind: 'flat', rate: '0.05' } }), '10').total.toString()).toBe('0'); // 0.5 → 0
    expect(noticeOf(yen({ rate: { kind: 'flat', rate: '0.05' } }), '30').total.toString()).toBe('2'); // 1.5 → 2
  });

  it('splits the invoice in whole yen', () => {
    const amounts = invoiceAmountsOf(Money.of('4000', 'JPY'), '2025-05', 'general');
    // 4,000 / 1.06 = 3,773.58… → 3,774; tax 226
    expect([amounts.net, amounts.tax, amounts.gross].map(String)).toEqual(['3774', '226', '4000']);
  });
});
