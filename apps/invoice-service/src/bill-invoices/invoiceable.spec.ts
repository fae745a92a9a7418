import { Money } from '@settle/money';
import { invoiceable, requestedAmount } from './invoiceable';

const cny = (a: string) => Money.of(a, 'CNY');

describe('invoiceable amount of bill payments', () => {
  it('is what was paid minus what was invoiced, never negative', () => {
    expect(invoiceable(cny('1000.00'), cny('250.50')).toString()).toBe('749.50');
    expect(invoiceable(cny('1000.00'), cny('1000.00')).toString()).toBe('0.00');
    expect(invoiceable(cny('100.00'), cny('120.00')).toString()).toBe('0.00');
  });

  it('invoices what is asked when it is available, all that is left when nothing is named', () => {
    expect(requestedAmount(cny('100.00'), cny('749.50'))).toEqual({ amount: cny('100.00') });
    expect(requestedAmount(null, cny('749.50'))).toEqual({ amount: cny('749.50') });
    expect(requestedAmount(cny('749.50'), cny('749.50'))).toEqual({ amount: cny('749.50') });
  });

  it('refuses more than is left, by a single fen too, and a request when nothing is left', () => {
    expect(requestedAmount(cny('749.51'), cny('749.50'))).toEqual({ refused: expect.stringContaining('749.51 CNY is more than the 749.50 CNY') });
    expect(requestedAmount(null, cny('0.00'))).toEqual({ refused: expect.stringContaining('Nothing is left') });
  });
});
