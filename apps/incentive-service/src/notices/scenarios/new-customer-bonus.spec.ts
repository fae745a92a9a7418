import { calculateNotice } from '../notice-calculation';
import { EC2, entry, period, policy, reseller, rows } from './scenario-fixtures';

const withBonus = policy({ code: 'INC-BONUS', rate: { kind: 'flat', rate: '0.03' }, newCustomerBonusRate: '0.02' });
const entries = [entry('50000.00', { customerId: 'c-old' }), entry('20000.00', { customerId: 'c-new' }), entry('-1000.00', { customerId: 'c-new2' })];

describe('a new-customer bonus', () => {
  it('adds the bonus rate on the eligible amount of the partner’s new customers only', () => {
    // 69,000.00 × 3 % = 2,070.00; bonus on new customers' 20,000.00 − 1,000.00 = 19,000.00 × 2 % = 380.00
    const notice = calculateNotice({ partner: reseller, period: '2025-05', currency: 'CNY', policies: [withBonus], current: period('2025-05', entries, [], ['c-new', 'c-new2']), earlier: [] });
    expect(rows(notice)).toEqual([['earned', '2025-05', 'INC-BONUS@1', EC2, '69000.00', '2450.00']]);
  });

  it('pays no bonus when no customer is new, and keeps the bonus under the cap', () => {
    expect(calculateNotice({ partner: reseller, period: '2025-05', currency: 'CNY', policies: [withBonus], current: period('2025-05', entries), earlier: [] }).total.toString()).toBe('2070.00');
    const capped = { ...withBonus, cap: '2400.00' };
    expect(calculateNotice({ partner: reseller, period: '2025-05', currency: 'CNY', policies: [capped], current: period('2025-05', entries, [], ['c-new']), earlier: [] }).total.toString()).toBe('2400.00');
  });
});
