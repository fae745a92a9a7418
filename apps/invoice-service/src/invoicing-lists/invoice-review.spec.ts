import { Money } from '@settle/money';
import { addsUp, describeMismatches, mismatchesOf } from './invoice-review';

const cny = (a: string) => Money.of(a, 'CNY');
const list = { net: cny('1000.00'), tax: cny('60.00'), gross: cny('1060.00'), taxRate: '0.06' };

describe('reviewing an invoice against its invoicing list', () => {
  it('finds nothing to object to in an invoice of exactly the list, whatever the rate is written as', () => {
    expect(mismatchesOf(list, { ...list, taxRate: '0.060' })).toEqual([]);
  });

  it('names each amount and the rate that differ, with what the list expects', () => {
    const invoice = { net: cny('1000.00'), tax: cny('30.00'), gross: cny('1030.00'), taxRate: '0.03' };
    expect(mismatchesOf(list, invoice)).toEqual([
      { field: 'tax_amount', expected: '60.00', actual: '30.00' },
      { field: 'gross_amount', expected: '1060.00', actual: '1030.00' },
      { field: 'tax_rate', expected: '0.06', actual: '0.03' },
    ]);
    expect(describeMismatches(mismatchesOf(list, invoice))).toBe('tax_amount is 30.00, the list says 60.00; gross_amount is 1030.00, the list says 1060.00; tax_rate is 0.03, the list says 0.06');
  });

  it('catches a one-fen difference', () => {
    expect(mismatchesOf(list, { ...list, net: cny('999.99'), tax: cny('60.01') })).toEqual([
      { field: 'net_amount', expected: '1000.00', actual: '999.99' },
      { field: 'tax_amount', expected: '60.00', actual: '60.01' },
    ]);
  });

  it("checks an invoice's own arithmetic", () => {
    expect(addsUp(list)).toBe(true);
    expect(addsUp({ net: cny('1000.00'), tax: cny('60.00'), gross: cny('1060.01') })).toBe(false);
  });
});
