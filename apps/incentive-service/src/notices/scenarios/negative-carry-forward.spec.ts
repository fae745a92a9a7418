import { Money } from '@settle/money';
import { calculateNotice } from '../notice-calculation';
import { EC2, entry, period, policy, reseller } from './scenario-fixtures';

describe('a notice whose total came out negative', () => {
  const flat = policy({ code: 'INC-FLAT', rate: { kind: 'flat', rate: '0.10' } });
  it('is deducted from the next notice as a carry-forward line, traceable to it', () => {
    const june = calculateNotice({
      partner: reseller,
      period: '2025-06',
      currency: 'CNY',
      policies: [flat],
      current: period('2025-06', [entry('500.00', { period: '2025-06' })]),
      earlier: [],
      carried: [{ noticeId: 'n-may', period: '2025-05', total: Money.of('-23.00', 'CNY') }],
    });
    expect(june.lines.map((l) => [l.kind, l.period, l.policyCode, l.serviceTypeCode, l.eligibleAmount.toString(), l.incentiveAmount.toString(), l.sourceRefs])).toEqual([
      ['earned', '2025-06', 'INC-FLAT', EC2, '500.00', '50.00', [expect.any(String)]],
      ['carry-forward', '2025-05', null, null, '0.00', '-23.00', ['notice:n-may']],
    ]);
    expect(june.lines[1].carriedNoticeId).toBe('n-may');
    expect(june.total.toString()).toBe('27.00');
  });

  it('carries nothing for a notice that was not negative', () => {
    const july = calculateNotice({ partner: reseller, period: '2025-07', currency: 'CNY', policies: [flat], current: period('2025-07', [entry('10.00', { period: '2025-07' })]), earlier: [], carried: [{ noticeId: 'n', period: '2025-06', total: Money.of('5.00', 'CNY') }] });
    expect(july.lines.map((l) => l.kind)).toEqual(['earned']);
    expect(july.total.toString()).toBe('1.00');
  });
});
