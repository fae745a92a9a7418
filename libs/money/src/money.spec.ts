import { Decimal } from './decimal';
import { CurrencyMismatchError, InvalidAllocationError, Money } from './money';
import { RoundingMode } from './rounding';
import { UnknownCurrencyError, currency } from './currency';
import { InvalidAmountError } from './decimal';

const cny = (a: string) => Money.of(a, 'CNY');
const strings = (list: Money[]) => list.map(String);

describe('Money', () => {
  it('knows the ISO 4217 exponents, including 0- and 3-decimal currencies', () => {
    expect(currency('CNY').exponent).toBe(2);
    expect(currency('JPY').exponent).toBe(0);
    expect(currency('KWD').exponent).toBe(3);
    expect(currency('CLF').exponent).toBe(4);
    expect(() => currency('XYZ')).toThrow(UnknownCurrencyError);
  });

  it('parses and prints amounts exactly at the currency exponent', () => {
    expect(cny('12.3').toString()).toBe('12.30');
    expect(Money.of('-0.05', 'CNY').toString()).toBe('-0.05');
    expect(Money.of('100', 'JPY').toString()).toBe('100');
    expect(Money.of('1', 'KWD').toString()).toBe('1.000');
    expect(Money.of('1.234', 'KWD').minor).toBe(1234n);
    expect(cny('12.34').toJSON()).toEqual({ amount: '12.34', currency: 'CNY' });
  });

  it('refuses more decimals than the currency has, floats and garbage', () => {
    expect(() => cny('0.125')).toThrow(/more decimals than CNY allows/);
    expect(() => Money.of('1.5', 'JPY')).toThrow(InvalidAmountError);
    expect(() => Money.of(1.5 as unknown as string, 'CNY')).toThrow(/string or bigint/);
    expect(() => cny('1,50')).toThrow(/Not a decimal number/);
    expect(() => cny('1e3')).toThrow(/Not a decimal number/);
    expect(() => Money.fromMinor('1.5', 'CNY')).toThrow(/integer/);
  });

  it('rounds half to even when parsing extra digits', () => {
    expect(Money.parse('0.125', 'CNY').toString()).toBe('0.12');
    expect(Money.parse('0.135', 'CNY').toString()).toBe('0.14');
    expect(Money.parse('-0.125', 'CNY').toString()).toBe('-0.12');
    expect(Money.parse('0.1251', 'CNY').toString()).toBe('0.13');
    expect(Money.parse('2.5', 'JPY').toString()).toBe('2');
    expect(Money.parse('3.5', 'JPY').toString()).toBe('4');
    expect(Money.parse('0.125', 'CNY', RoundingMode.HalfUp).toString()).toBe('0.13');
  });

  it('adds, subtracts and compares within one currency only', () => {
    expect(cny('10.10').plus(cny('0.90')).toString()).toBe('11.00');
    expect(cny('1.00').minus(cny('2.50')).toString()).toBe('-1.50');
    expect(cny('1.00').greaterThan(cny('0.99'))).toBe(true);
    expect(() => cny('1.00').plus(Money.of('1.00', 'USD'))).toThrow(CurrencyMismatchError);
    expect(() => cny('1.00').plus(Money.of('1.00', 'USD'))).toThrow('Currency mismatch: CNY and USD cannot be combined');
    expect(Money.sum([cny('0.10'), cny('0.20')], 'CNY').toString()).toBe('0.30');
  });

  it('multiplies by exact factors and takes percentages with one rounding', () => {
    expect(cny('0.10').times('3').toString()).toBe('0.30');
    expect(cny('19.99').times('0.085').toString()).toBe('1.70'); // 1.69915
    expect(cny('100.00').times(Decimal.of('1.005')).toString()).toBe('100.50');
    expect(cny('200.00').percent('6').toString()).toBe('12.00');
    expect(cny('0.25').percent('50').toString()).toBe('0.12'); // 0.125 to even
  });

  it('allocates 100.00 by 1:1:1 as 33.34 / 33.33 / 33.33', () => {
    expect(strings(cny('100.00').allocate(['1', '1', '1']))).toEqual(['33.34', '33.33', '33.33']);
    expect(strings(cny('-100.00').allocateEvenly(3))).toEqual(['-33.34', '-33.33', '-33.33']);
    expect(strings(cny('0.05').allocate(['70', '20', '10']))).toEqual(['0.04', '0.01', '0.00']);
    expect(strings(Money.of('10', 'JPY').allocate(['0.5', '0.25', '0.25']))).toEqual(['5', '3', '2']);
    expect(strings(cny('10.00').allocate(['0', '1']))).toEqual(['0.00', '10.00']);
  });

  it('refuses allocations that cannot sum to the total', () => {
    expect(() => cny('1.00').allocate([])).toThrow(InvalidAllocationError);
    expect(() => cny('1.00').allocate(['0', '0'])).toThrow(/all be zero/);
    expect(() => cny('1.00').allocate(['1', '-1'])).toThrow(/negative/);
  });
});
