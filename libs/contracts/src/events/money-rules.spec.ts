import { IncentivePayoutReleasedV1 } from './incentive/payout.events';
import { amountProblems } from './money-rules';

describe('amountProblems', () => {
  it('reports text that is not a decimal amount, or a currency that is not a code, instead of throwing', () => {
    expect(amountProblems('abc', 'CNY', { positive: true })).toEqual([{ path: 'amount', message: 'must be a decimal string such as "12.34"' }]);
    expect(amountProblems(12.5 as unknown as string, 'CNY', { positive: true })).toEqual([{ path: 'amount', message: 'must be a decimal string such as "12.34"' }]);
    expect(amountProblems('1.00', undefined as unknown as string, { positive: true })[0].path).toBe('currency');
  });

  it('accepts an amount within the currency’s decimals, and zero or negative unless it must be positive', () => {
    expect(amountProblems('12.34', 'CNY', { positive: true })).toEqual([]);
    expect(amountProblems('100', 'JPY', { positive: true })).toEqual([]);
    expect(amountProblems('1.250', 'KWD', { positive: true })).toEqual([]);
    expect(amountProblems('0.00', 'CNY', { positive: false })).toEqual([]);
    expect(amountProblems('-3.10', 'CNY', { positive: false })).toEqual([]);
  });

  it('names each problem: unknown currency, too many decimals, not positive', () => {
    expect(amountProblems('1.00', 'XYZ', { positive: true })).toEqual([{ path: 'currency', message: 'unknown currency XYZ: expected an active ISO 4217 code' }]);
    expect(amountProblems('1.5', 'JPY', { positive: true })).toEqual([{ path: 'amount', message: '1.5 has more decimals than JPY allows (0)' }]);
    expect(amountProblems('0', 'CNY', { positive: true })).toEqual([{ path: 'amount', message: 'must be more than 0, not 0' }]);
    expect(amountProblems('-0.001', 'CNY', { positive: true })).toEqual([
      { path: 'amount', message: 'must be more than 0, not -0.001' },
      { path: 'amount', message: '-0.001 has more decimals than CNY allows (2)' },
    ]);
    // Trailing zeros are not decimals the currency lacks.
    expect(amountProblems('5.000', 'CNY', { positive: true })).toEqual([]);
  });

  it('is what an event schema with positiveAmountRule reports, on the event’s own field names', () => {
    const base = { payout_id: 'p1', partner_id: 'x', period: '2026-10', method: 'recharge-account', currency: 'CNY', released_at: '2026-11-01T00:00:00Z' };
    expect(IncentivePayoutReleasedV1.schema.safeParse({ ...base, amount: '10.00' }).success).toBe(true);
    const bad = IncentivePayoutReleasedV1.schema.safeParse({ ...base, amount: '0.001' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['amount', '0.001 has more decimals than CNY allows (2)']]);
  });
});
