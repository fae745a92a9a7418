import { Money } from './money';
import { addTax, splitInclusive } from './tax';

const cny = (a: string) => Money.of(a, 'CNY');

describe('tax', () => {
  it('splits 106.00 including 6 % into 100.00 net and 6.00 tax', () => {
    const { net, tax, gross } = splitInclusive(cny('106.00'), '0.06');
    expect([net.toString(), tax.toString(), gross.toString()]).toEqual(['100.00', '6.00', '106.00']);
  });

  it('splits 10.00 including 13 % into 8.85 + 1.15 (8.849… rounded half-even)', () => {
    const { net, tax } = splitInclusive(cny('10.00'), '0.13');
    expect([net.toString(), tax.toString()]).toEqual(['8.85', '1.15']);
  });

  it('splits 1.00 including 3 % for a small-scale taxpayer', () => {
    const { net, tax } = splitInclusive(cny('1.00'), '0.03');
    expect([net.toString(), tax.toString()]).toEqual(['0.97', '0.03']);
  });

  it('adds 6 % to 100.00 and 13 % to 8.85', () => {
    expect(addTax(cny('100.00'), '0.06').gross.toString()).toBe('106.00');
    const { tax, gross } = addTax(cny('8.85'), '0.13');
    expect([tax.toString(), gross.toString()]).toEqual(['1.15', '10.00']);
  });

  it('handles zero-decimal currencies and a zero rate', () => {
    expect(splitInclusive(Money.of('1000', 'JPY'), '0.10').net.toString()).toBe('909');
    expect(splitInclusive(cny('5.00'), '0').tax.toString()).toBe('0.00');
  });

  it('refuses a negative rate', () => {
    expect(() => splitInclusive(cny('1.00'), '-0.06')).toThrow(/cannot be negative/);
  });
});
