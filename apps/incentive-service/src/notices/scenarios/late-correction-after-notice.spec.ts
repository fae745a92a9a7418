import { calculateNotice } from '../notice-calculation';
import { EC2, entry, period, policy, reseller, rows } from './scenario-fixtures';

const tiered = policy({ code: 'INC-TIERED', rate: { kind: 'tiered', tiers: [{ upTo: '100000.00', rate: '0.02' }, { upTo: null, rate: '0.04' }] } });

describe('a correction after the notice', () => {
  it('becomes an adjustment line on the next notice: the difference the period pays with it, across the tier boundary, traceable to its source', () => {
    const may = [entry('120000.00', { period: '2025-05' })];
    const mayNotice = calculateNotice({ partner: reseller, period: '2025-05', currency: 'CNY', policies: [tiered], current: period('2025-05', may), earlier: [] });
    // 100,000 × 2 % + 20,000 × 4 % = 2,800.00
    expect(mayNotice.total.toString()).toBe('2800.00');

    const correction = entry('-30000.00', { period: '2025-05', sourceRef: 'adjustment:line-7' });
    const june = calculateNotice({
      partner: reseller,
      period: '2025-06',
      currency: 'CNY',
      policies: [tiered],
      current: period('2025-06', [entry('60000.00', { period: '2025-06' })]),
      earlier: [period('2025-05', [correction], may)],
    });
    // June: 60,000 × 2 % = 1,200.00; May again with 90,000.00: 1,800.00, so −1,000.00
    expect(rows(june)).toEqual([
      ['earned', '2025-06', 'INC-TIERED@1', EC2, '60000.00', '1200.00'],
      ['adjustment', '2025-05', 'INC-TIERED@1', EC2, '-30000.00', '-1000.00'],
    ]);
    expect(june.lines[1].sourceRefs).toEqual(['adjustment:line-7']);
    expect(june.total.toString()).toBe('200.00');
    // The issued May notice is a value: nothing about it changed.
    expect(mayNotice.total.toString()).toBe('2800.00');
  });

  it('uses the version that governed the earlier period, not a change that took effect later', () => {
    const v2 = { ...tiered, version: 2, effectiveFrom: '2025-06', rate: { kind: 'flat' as const, rate: '0.50' } };
    const may = [entry('1000.00', { period: '2025-05' })];
    const june = calculateNotice({ partner: reseller, period: '2025-06', currency: 'CNY', policies: [tiered, v2], current: period('2025-06', [entry('10.00', { period: '2025-06' })]), earlier: [period('2025-05', [entry('500.00', { period: '2025-05' })], may)] });
    expect(rows(june)).toEqual([
      ['earned', '2025-06', 'INC-TIERED@2', EC2, '10.00', '5.00'],
      ['adjustment', '2025-05', 'INC-TIERED@1', EC2, '500.00', '10.00'],
    ]);
  });
});
