import { Decimal, Money } from '@settle/money';
import { LineAmounts, planCorrection, rate } from '../rating/rate';
import { BillLineInput, ComputedBill, categoryOf, computeBills } from './bill-arithmetic';

const VAT = '0.06';
const cny = (a: string) => Money.of(a, 'CNY');
const AGENCY = 2 as const;
const CONSULTANT = 1 as const;

/** A bill line as rating books it: a record of `kind` rated with the partner's discount. */
function line(customerId: string, kind: 'consumption' | 'refund' | 'adjustment', official: string, discount: string | null, extra: Partial<BillLineInput> & { associationType?: 1 | 2 } = {}): BillLineInput {
  const r = rate({ kind, officialAmount: Money.of(official, extra.currency ?? 'CNY'), discountRate: discount === null ? null : Decimal.of(discount), associationType: extra.associationType ?? AGENCY });
  return {
    customerId,
    serviceTypeCode: 'hws.service.type.ec2',
    lineType: 'usage',
    recordType: kind,
    currency: 'CNY',
    officialAmountMinor: r.official.minor.toString(),
    discountAmountMinor: r.discount.minor.toString(),
    ratedAmountMinor: r.rated.minor.toString(),
    ...extra,
  };
}

function correctionLine(customerId: string, delta: LineAmounts, extra: Partial<BillLineInput> = {}): BillLineInput {
  return {
    customerId,
    serviceTypeCode: 'hws.service.type.ec2',
    lineType: 'correction-adjustment',
    recordType: 'consumption',
    currency: 'CNY',
    officialAmountMinor: delta.official.minor.toString(),
    discountAmountMinor: delta.discount.minor.toString(),
    ratedAmountMinor: delta.rated.minor.toString(),
    ...extra,
  };
}

function totals(bill: ComputedBill) {
  const t = bill.totals;
  return {
    consumption: t.consumption.toString(),
    refunds: t.refunds.toString(),
    adjustments: t.adjustments.toString(),
    official: t.official.toString(),
    discount: t.discount.toString(),
    amountDue: t.amountDue.toString(),
    tax: t.tax.toString(),
    net: t.net.toString(),
    lines: t.lineCount,
  };
}

describe('bill arithmetic: scenario specs with exact amounts', () => {
  it('bills consumption at the partner discount and splits out the VAT it contains', () => {
    const [bill] = computeBills([line('c1', 'consumption', '100.00', '0.15'), line('c1', 'consumption', '10.01', '0.15')], VAT);
    // 85.00 + 8.51 (10.01 × 0.85 = 8.5085 → 8.51); VAT in 93.51 at 6%: net 93.51 / 1.06 = 88.2169… → 88.22, tax 5.29
    expect(totals(bill)).toEqual({ consumption: '93.51', refunds: '0.00', adjustments: '0.00', official: '110.01', discount: '16.50', amountDue: '93.51', tax: '5.29', net: '88.22', lines: 2 });
  });

  it('nets refunds (negative, discounted like the consumption) and adjustments (as they are) into the amount due', () => {
    const [bill] = computeBills([line('c1', 'consumption', '100.00', '0.15'), line('c1', 'refund', '30.00', '0.15'), line('c1', 'adjustment', '-12.34', '0.15')], VAT);
    // 85.00 − 25.50 − 12.34 = 47.16; net 47.16 / 1.06 = 44.4905… → 44.49, tax 2.67
    expect(totals(bill)).toEqual({ consumption: '85.00', refunds: '-25.50', adjustments: '-12.34', official: '57.66', discount: '10.50', amountDue: '47.16', tax: '2.67', net: '44.49', lines: 3 });
  });

  it('rounds VAT per item (customer × service type): the bill tax is the sum of the item taxes, not the tax of the sum', () => {
    const lines = ['c1', 'c2', 'c3'].map((c) => line(c, 'consumption', '1.00', null));
    const [bill] = computeBills(lines, VAT);
    // each 1.00: net 0.9433… → 0.94, tax 0.06; bill tax 0.18 (the tax of 3.00 would be 0.17)
    expect(bill.items.map((i) => i.tax.toString())).toEqual(['0.06', '0.06', '0.06']);
    expect(totals(bill)).toMatchObject({ amountDue: '3.00', tax: '0.18', net: '2.82' });
    expect(bill.customerCount).toBe(3);
  });

  it('breaks a bill down per customer and per service type, and the items add up to the totals exactly', () => {
    const lines = [
      line('c2', 'consumption', '20.00', '0.1'),
      line('c1', 'consumption', '33.33', '0.1', { serviceTypeCode: 'hws.service.type.obs' }),
      line('c1', 'consumption', '66.67', '0.1'),
      line('c1', 'refund', '6.67', '0.1'),
    ];
    const [bill] = computeBills(lines, VAT);
    expect(bill.items.map((i) => [i.customerId, i.serviceTypeCode, i.amountDue.toString(), i.tax.toString(), i.lineCount])).toEqual([
      ['c1', 'hws.service.type.ec2', '54.00', '3.06', 2], // 60.00 − 6.00
      ['c1', 'hws.service.type.obs', '30.00', '1.70', 1], // 33.33 × 0.9 = 29.997 → 30.00
      ['c2', 'hws.service.type.ec2', '18.00', '1.02', 1],
    ]);
    const sum = (f: (i: (typeof bill.items)[number]) => Money) => Money.sum(bill.items.map(f), 'CNY').toString();
    expect([sum((i) => i.amountDue), sum((i) => i.tax), sum((i) => i.net)]).toEqual([bill.totals.amountDue.toString(), bill.totals.tax.toString(), bill.totals.net.toString()]);
    expect(totals(bill)).toMatchObject({ amountDue: '102.00', tax: '5.78', net: '96.22' });
  });

  it('bills a late record in the cycle it was booked in, like any other line', () => {
    // A January record that arrived after January closed is booked into February by rating; the
    // February bill carries it at January's discount and ownership.
    const [feb] = computeBills([line('c1', 'consumption', '40.00', '0.2'), line('c1', 'consumption', '10.00', '0.2')], VAT);
    expect(totals(feb)).toMatchObject({ consumption: '40.00', amountDue: '40.00', lines: 2 });
  });

  it('splits a customer that changed partner mid-cycle between the two partners’ bills', () => {
    // Rating attributes each record to the owner at its time: partner A (15 % discount, agency) until
    // the 15th, partner B (consultant-sale: official price) after. Each partner's bill sees only its lines.
    const a = computeBills([line('c1', 'consumption', '50.00', '0.15')], VAT)[0];
    const b = computeBills([line('c1', 'consumption', '70.00', '0.15', { associationType: CONSULTANT })], VAT)[0];
    expect(totals(a)).toMatchObject({ amountDue: '42.50', discount: '7.50', tax: '2.41' });
    expect(totals(b)).toMatchObject({ amountDue: '70.00', discount: '0.00', tax: '3.96' });
  });

  it('bills a correction after close as an adjustment in the next open cycle, for the difference only', () => {
    // January: 100.00 at 15 % → 85.00, billed and final. In February the record is corrected to 80.00.
    const original = rate({ kind: 'consumption', officialAmount: cny('100.00'), discountRate: Decimal.of('0.15'), associationType: AGENCY });
    const corrected = rate({ kind: 'consumption', officialAmount: cny('80.00'), discountRate: Decimal.of('0.15'), associationType: AGENCY });
    const plan = planCorrection({ cycle: '2025-01', cycleClosed: true, effective: original }, corrected, () => '2025-02');
    if (plan.kind !== 'adjustment') throw new Error('expected an adjustment');
    const [feb] = computeBills([line('c1', 'consumption', '10.00', '0.15'), correctionLine('c1', plan.delta)], VAT);
    // 8.50 + (68.00 − 85.00) = −8.50: the February bill credits the partner
    expect(totals(feb)).toEqual({ consumption: '8.50', refunds: '0.00', adjustments: '-17.00', official: '-10.00', discount: '-1.50', amountDue: '-8.50', tax: '-0.48', net: '-8.02', lines: 2 });
    expect(categoryOf({ lineType: 'correction-adjustment', recordType: 'refund' })).toBe('adjustment');
  });

  it('makes one bill per currency, never adding amounts of different currencies', () => {
    const bills = computeBills([line('c1', 'consumption', '10.00', null), line('c1', 'consumption', '1000', null, { currency: 'JPY' })], VAT);
    expect(bills.map((b) => [b.currency, b.totals.amountDue.toString(), b.totals.tax.toString()])).toEqual([
      ['CNY', '10.00', '0.57'],
      ['JPY', '1000', '57'],
    ]);
  });

  it('changes the content hash exactly when an amount changes, so an unchanged regeneration is not a new revision', () => {
    const lines = [line('c1', 'consumption', '10.00', '0.1'), line('c2', 'consumption', '5.00', '0.1')];
    const first = computeBills(lines, VAT)[0].contentHash;
    expect(computeBills([...lines].reverse(), VAT)[0].contentHash).toBe(first);
    expect(computeBills([...lines, line('c2', 'consumption', '0.01', null)], VAT)[0].contentHash).not.toBe(first);
  });
});
