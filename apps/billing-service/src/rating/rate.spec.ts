import { Decimal, Money } from '@settle/money';
import { ownerAt } from '../customer-ownership/ownership-periods';
import { addMonths, firstOpenCycle } from './billing-calendar';
import { LineAmounts, discountAt, planCorrection, rate, sumAmounts } from './rate';

const cny = (a: string) => Money.of(a, 'CNY');
const d = (s: string) => Decimal.of(s);
const AGENCY = 2 as const;
const CONSULTANT = 1 as const;
const show = (l: LineAmounts) => ({ official: l.official.toString(), discount: l.discount.toString(), rated: l.rated.toString() });

describe('rate(): official × (1 − discount), rounded half-even once at the currency exponent', () => {
  it('applies the partner discount to an agency-sale consumption', () => {
    const r = rate({ kind: 'consumption', officialAmount: cny('100.00'), discountRate: d('0.15'), associationType: AGENCY });
    expect(show(r)).toEqual({ official: '100.00', discount: '15.00', rated: '85.00' });
    expect(r.discountRate.toString()).toBe('0.15');
  });

  it('rounds once, half-even, and the discount absorbs the rounding so the parts add up', () => {
    // 10.01 × 0.85 = 8.5085 → 8.51
    expect(show(rate({ kind: 'consumption', officialAmount: cny('10.01'), discountRate: d('0.15'), associationType: AGENCY }))).toEqual({ official: '10.01', discount: '1.50', rated: '8.51' });
    // ties go to the even neighbour: 0.025 → 0.02, 0.075 → 0.08
    expect(rate({ kind: 'consumption', officialAmount: cny('0.05'), discountRate: d('0.5'), associationType: AGENCY }).rated.toString()).toBe('0.02');
    expect(rate({ kind: 'consumption', officialAmount: cny('0.15'), discountRate: d('0.5'), associationType: AGENCY }).rated.toString()).toBe('0.08');
    // a zero-decimal currency rounds at its own exponent: 1001 JPY × 0.85 = 850.85 → 851
    expect(rate({ kind: 'consumption', officialAmount: Money.of('1001', 'JPY'), discountRate: d('0.15'), associationType: AGENCY }).rated.toString()).toBe('851');
  });

  it('books a refund negative, discounted like the consumption it gives back', () => {
    expect(show(rate({ kind: 'refund', officialAmount: cny('30.00'), discountRate: d('0.15'), associationType: AGENCY }))).toEqual({ official: '-30.00', discount: '-4.50', rated: '-25.50' });
  });

  it('takes an adjustment as it is: signed, no discount', () => {
    const r = rate({ kind: 'adjustment', officialAmount: cny('-12.34'), discountRate: d('0.15'), associationType: AGENCY });
    expect(show(r)).toEqual({ official: '-12.34', discount: '0.00', rated: '-12.34' });
    expect(r.discountRate.isZero()).toBe(true);
  });

  it('keeps a consultant-sale record at the official price (the partner does not buy it)', () => {
    expect(show(rate({ kind: 'consumption', officialAmount: cny('100.00'), discountRate: d('0.15'), associationType: CONSULTANT }))).toEqual({ official: '100.00', discount: '0.00', rated: '100.00' });
  });

  it('rates at the official price when the partner has no discount for the service type', () => {
    expect(rate({ kind: 'consumption', officialAmount: cny('7.77'), discountRate: null, associationType: AGENCY }).rated.toString()).toBe('7.77');
  });

  it('refuses a negative consumption and a discount outside [0, 1)', () => {
    expect(() => rate({ kind: 'consumption', officialAmount: cny('-1.00'), discountRate: null, associationType: AGENCY })).toThrow(RangeError);
    expect(() => rate({ kind: 'consumption', officialAmount: cny('1.00'), discountRate: d('1'), associationType: AGENCY })).toThrow(RangeError);
  });
});

describe('late records: booked in the first open cycle', () => {
  it('walks past closed cycles, across a year end', () => {
    const closed = new Set(['2026-11', '2026-12']);
    expect(firstOpenCycle('2026-11', (c) => closed.has(c))).toBe('2027-01');
    expect(firstOpenCycle('2026-10', (c) => closed.has(c))).toBe('2026-10');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
  });
});

describe('a customer that changed partner mid-cycle', () => {
  const periods = [
    { associationId: 'as-a', partnerId: 'partner-a', customerId: 'c-1', associationType: AGENCY, from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-16T00:00:00Z') },
    { associationId: 'as-b', partnerId: 'partner-b', customerId: 'c-1', associationType: AGENCY, from: new Date('2026-03-16T00:00:00Z'), to: null },
  ];
  const discounts: Record<string, string> = { 'partner-a': '0.10', 'partner-b': '0.20' };

  it('attributes each record to the owner at its own time, with that owner’s discount', () => {
    const records = [
      { at: '2026-03-10T12:00:00Z', amount: '200.00' },
      { at: '2026-03-16T00:00:00Z', amount: '200.00' }, // the switch instant belongs to the new owner
      { at: '2026-03-20T08:00:00Z', amount: '50.05' },
    ];
    const lines = records.map((r) => {
      const owner = ownerAt(periods, new Date(r.at));
      if (!owner) throw new Error('no owner');
      return { partner: owner.partnerId, rated: rate({ kind: 'consumption', officialAmount: cny(r.amount), discountRate: d(discounts[owner.partnerId]), associationType: owner.associationType }).rated.toString() };
    });
    // 200 × 0.9 = 180.00; 200 × 0.8 = 160.00; 50.05 × 0.8 = 40.04
    expect(lines).toEqual([
      { partner: 'partner-a', rated: '180.00' },
      { partner: 'partner-b', rated: '160.00' },
      { partner: 'partner-b', rated: '40.04' },
    ]);
    expect(ownerAt(periods, new Date('2026-02-28T23:59:59Z'))).toBeUndefined();
  });
});

describe('partner discounts over time', () => {
  const discounts = [
    { partnerId: 'p', serviceTypeCode: 'hws.service.type.ec2', rate: d('0.10'), from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') },
    { partnerId: 'p', serviceTypeCode: 'hws.service.type.ec2', rate: d('0.25'), from: new Date('2026-03-01T00:00:00Z'), to: null },
    { partnerId: 'q', serviceTypeCode: 'hws.service.type.ec2', rate: d('0.50'), from: new Date('2026-01-01T00:00:00Z'), to: null },
  ];

  it('takes the period in force at the record’s time, for that partner and service type only', () => {
    expect(discountAt(discounts, 'p', 'hws.service.type.ec2', new Date('2026-02-28T23:59:59Z'))?.toString()).toBe('0.10');
    expect(discountAt(discounts, 'p', 'hws.service.type.ec2', new Date('2026-03-01T00:00:00Z'))?.toString()).toBe('0.25');
    expect(discountAt(discounts, 'p', 'hws.service.type.obs', new Date('2026-03-05T00:00:00Z'))).toBeNull();
    expect(discountAt(discounts, 'p', 'hws.service.type.ec2', new Date('2025-12-31T00:00:00Z'))).toBeNull();
  });
});

describe('corrections and cancellations', () => {
  const original = rate({ kind: 'consumption', officialAmount: cny('100.00'), discountRate: d('0.15'), associationType: AGENCY });
  const next = (after: string) => firstOpenCycle(addMonths(after, 1), (c) => c === '2026-04');

  it('re-rates the original in place while its cycle is open', () => {
    const corrected = rate({ kind: 'consumption', officialAmount: cny('120.00'), discountRate: d('0.15'), associationType: AGENCY });
    const plan = planCorrection({ cycle: '2026-03', cycleClosed: false, effective: original }, corrected, next);
    expect(plan.kind).toBe('re-rate-in-place');
    if (plan.kind !== 're-rate-in-place') return;
    expect(plan.cycle).toBe('2026-03');
    expect(show(plan.rated)).toEqual({ official: '120.00', discount: '18.00', rated: '102.00' });
  });

  it('after close, books the difference as an adjustment in the next open cycle; a second correction adjusts only what is left', () => {
    const corrected = rate({ kind: 'consumption', officialAmount: cny('80.00'), discountRate: d('0.15'), associationType: AGENCY });
    const first = planCorrection({ cycle: '2026-03', cycleClosed: true, effective: original }, corrected, next);
    if (first.kind !== 'adjustment') throw new Error('expected an adjustment');
    // 2026-04 is closed too: the adjustment goes to 2026-05
    expect(first.cycle).toBe('2026-05');
    expect(show(first.delta)).toEqual({ official: '-20.00', discount: '-3.00', rated: '-17.00' });

    const effective = sumAmounts([original, first.delta], 'CNY');
    expect(show(effective)).toEqual({ official: '80.00', discount: '12.00', rated: '68.00' });
    const again = rate({ kind: 'consumption', officialAmount: cny('90.00'), discountRate: d('0.15'), associationType: AGENCY });
    const second = planCorrection({ cycle: '2026-03', cycleClosed: true, effective }, again, next);
    if (second.kind !== 'adjustment') throw new Error('expected an adjustment');
    expect(show(second.delta)).toEqual({ official: '10.00', discount: '1.50', rated: '8.50' });
  });

  it('cancels in place while open, and reverses what bills carry after close', () => {
    const open = planCorrection({ cycle: '2026-03', cycleClosed: false, effective: original }, null, next);
    expect(open.kind === 're-rate-in-place' && open.cancelled && open.rated.rated.toString()).toBe('0.00');
    const closed = planCorrection({ cycle: '2026-03', cycleClosed: true, effective: original }, null, next);
    if (closed.kind !== 'adjustment') throw new Error('expected an adjustment');
    expect(show(closed.delta)).toEqual({ official: '-100.00', discount: '-15.00', rated: '-85.00' });
  });

  it('corrects a refund in the refund’s sense (still negative)', () => {
    const refund = rate({ kind: 'refund', officialAmount: cny('30.00'), discountRate: d('0.15'), associationType: AGENCY });
    const corrected = rate({ kind: 'refund', officialAmount: cny('40.00'), discountRate: d('0.15'), associationType: AGENCY });
    const plan = planCorrection({ cycle: '2026-03', cycleClosed: true, effective: refund }, corrected, next);
    if (plan.kind !== 'adjustment') throw new Error('expected an adjustment');
    expect(show(plan.delta)).toEqual({ official: '-10.00', discount: '-1.50', rated: '-8.50' });
  });
});
