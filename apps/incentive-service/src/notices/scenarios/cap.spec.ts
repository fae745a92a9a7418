import { calculateNotice } from '../notice-calculation';
import { EC2, OBS, entry, period, policy, reseller, rows } from './scenario-fixtures';

const capped = policy({ code: 'INC-CAPPED', rate: { kind: 'flat', rate: '0.05' }, cap: '1000.00' });
const noticeOf = (...es: ReturnType<typeof entry>[]) => calculateNotice({ partner: reseller, period: '2025-05', currency: 'CNY', policies: [capped], current: period('2025-05', es), earlier: [] });

describe('a capped policy', () => {
  it('pays at most the cap per period, split over service types in proportion to their eligible amounts', () => {
    // 30,000.00 × 5 % = 1,500.00 > cap 1,000.00; ec2 20,000 / obs 10,000 → 666.67 / 333.33 (largest remainder)
    const notice = noticeOf(entry('20000.00'), entry('10000.00', { serviceTypeCode: OBS }));
    expect(rows(notice)).toEqual([
      ['earned', '2025-05', 'INC-CAPPED@1', EC2, '20000.00', '666.67'],
      ['earned', '2025-05', 'INC-CAPPED@1', OBS, '10000.00', '333.33'],
    ]);
    expect(notice.total.toString()).toBe('1000.00');
  });

  it('pays the rate below the cap, and exactly the cap at it', () => {
    expect(noticeOf(entry('10000.00')).total.toString()).toBe('500.00');
    expect(noticeOf(entry('20000.00')).total.toString()).toBe('1000.00');
    expect(noticeOf(entry('19999.99')).total.toString()).toBe('1000.00'); // 999.9995 → 1,000.00
  });
});
