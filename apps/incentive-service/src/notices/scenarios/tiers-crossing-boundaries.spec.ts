import { calculateNotice } from '../notice-calculation';
import { EC2, OBS, entry, period, policy, reseller, rows } from './scenario-fixtures';

const tiered = policy({
  code: 'INC-TIERED',
  rate: { kind: 'tiered', tiers: [{ upTo: '100000.00', rate: '0.02' }, { upTo: '500000.00', rate: '0.04' }, { upTo: null, rate: '0.06' }] },
});

const noticeOf = (...amounts: [string, string][]) =>
  calculateNotice({ partner: reseller, period: '2025-05', currency: 'CNY', policies: [tiered], current: period('2025-05', amounts.map(([st, a]) => entry(a, { serviceTypeCode: st }))), earlier: [] });

describe('progressive tiers crossing their boundaries', () => {
  it('applies each tier’s rate only to the part of the amount inside it, across all three tiers, and allocates the total to service types exactly', () => {
    // 100,000.00 × 2 % + 400,000.00 × 4 % + 100,000.01 × 6 % = 2,000 + 16,000 + 6,000.0006 → 24,000.00 (half-even, once)
    const notice = noticeOf([EC2, '350000.01'], [OBS, '250000.00']);
    expect(rows(notice)).toEqual([
      ['earned', '2025-05', 'INC-TIERED@1', EC2, '350000.01', '14000.00'],
      ['earned', '2025-05', 'INC-TIERED@1', OBS, '250000.00', '10000.00'],
    ]);
    expect(notice.total.toString()).toBe('24000.00');
  });

  it('pays the lower tier’s rate up to and including the boundary, and the next rate from the first cent above it', () => {
    expect(noticeOf([EC2, '100000.00']).total.toString()).toBe('2000.00');
    // 2,000 + 0.01 × 4 % = 2,000.0004 → 2,000.00
    expect(noticeOf([EC2, '100000.01']).total.toString()).toBe('2000.00');
    // 2,000 + 250.00 × 4 % = 2,010.00
    expect(noticeOf([EC2, '100250.00']).total.toString()).toBe('2010.00');
    // 2,000 + 16,000 exactly at the second boundary
    expect(noticeOf([EC2, '500000.00']).total.toString()).toBe('18000.00');
  });

  it('pays nothing when refunds exceed consumption in the period', () => {
    const notice = noticeOf([EC2, '-10.00']);
    expect(rows(notice)).toEqual([['earned', '2025-05', 'INC-TIERED@1', EC2, '-10.00', '0.00']]);
    expect(notice.total.toString()).toBe('0.00');
  });

  it('rounds half-even at the policy total', () => {
    const flat = policy({ rate: { kind: 'flat', rate: '0.05' } });
    const of = (a: string) => calculateNotice({ partner: reseller, period: '2025-05', currency: 'CNY', policies: [flat], current: period('2025-05', [entry(a)]), earlier: [] }).total.toString();
    expect(of('0.10')).toBe('0.00'); // 0.005 → 0.00 (to even)
    expect(of('0.30')).toBe('0.02'); // 0.015 → 0.02 (to even)
  });
});
