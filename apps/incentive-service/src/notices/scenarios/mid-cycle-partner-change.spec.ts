import { calculateNotice } from '../notice-calculation';
import { EC2, entry, period, policy, reseller, rows } from './scenario-fixtures';

/**
 * Customer c-1 moved from partner A to partner B on 16 May. Billing attributed each record to the
 * owner at its time and published each partner's own consumption summary; each partner's notice
 * is computed from its own entries only (agency-sale entries are outside the consultant basis).
 */
describe('a customer that changed partner mid-cycle', () => {
  const flat = policy({ code: 'INC-FLAT', rate: { kind: 'flat', rate: '0.10' } });
  it('earns each partner the incentive on the consumption billing attributed to it', () => {
    const ofA = calculateNotice({ partner: reseller, period: '2025-05', currency: 'CNY', policies: [flat], current: period('2025-05', [entry('149.50', { sourceRef: 'bill:A:c-1' })]), earlier: [] });
    const ofB = calculateNotice({
      partner: reseller,
      period: '2025-05',
      currency: 'CNY',
      policies: [flat],
      current: period('2025-05', [entry('40.04', { sourceRef: 'bill:B:c-1' }), entry('500.00', { associationType: 2, customerId: 'c-agency' })]),
      earlier: [],
    });
    expect(rows(ofA)).toEqual([['earned', '2025-05', 'INC-FLAT@1', EC2, '149.50', '14.95']]);
    expect(ofA.lines[0].sourceRefs).toEqual(['bill:A:c-1']);
    // 40.04 × 10 % = 4.004 → 4.00
    expect(rows(ofB)).toEqual([['earned', '2025-05', 'INC-FLAT@1', EC2, '40.04', '4.00']]);
    expect(ofB.lines[0].sourceRefs).toEqual(['bill:B:c-1']);
  });
});
