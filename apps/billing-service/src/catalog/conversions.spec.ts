import { Decimal, RoundingMode } from '@settle/money';
import { SEEDED_CONVERSIONS, SEEDED_MEASURE_UNITS } from '../migrations/1763769602100-partners-quotas-catalog';
import { ConversionEdge, ConversionError, conversionFactor, conversionTableProblems, convertQuantity } from './conversions';

const seeded: ConversionEdge[] = SEEDED_CONVERSIONS.map(([measureId, refMeasureId, ratio, measureType]) => ({ measureId, refMeasureId, ratio: BigInt(ratio), measureType }));
const units = new Map(SEEDED_MEASURE_UNITS.map(([id, measureType]) => [id, { measureType }]));
const [YUAN, JIAO, FEN, HOUR, DAY, MONTH, YEAR, MINUTE, SECOND, GB, MB, KB, BYTE, TB] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];

describe('unit conversions', () => {
  it('seeds a consistent table: positive ratios, one measure type per conversion, every chain agreeing', () => {
    expect(conversionTableProblems(seeded, units)).toEqual([]);
  });

  it('chains stated conversions both ways into exact factors', () => {
    expect(conversionFactor(seeded, TB, BYTE)).toEqual({ numerator: 1099511627776n, denominator: 1n });
    expect(conversionFactor(seeded, BYTE, KB)).toEqual({ numerator: 1n, denominator: 1024n });
    expect(conversionFactor(seeded, DAY, MINUTE)).toEqual({ numerator: 1440n, denominator: 1n });
    expect(conversionFactor(seeded, JIAO, YUAN)).toEqual({ numerator: 1n, denominator: 10n });
    expect(conversionFactor(seeded, HOUR, HOUR)).toEqual({ numerator: 1n, denominator: 1n });
  });

  it('has no factor across measure types or between units without a fixed ratio', () => {
    expect(conversionFactor(seeded, GB, HOUR)).toBeNull();
    expect(conversionFactor(seeded, MONTH, DAY)).toBeNull();
    expect(conversionFactor(seeded, YEAR, HOUR)).toBeNull();
  });

  it('converts quantities exactly, in the shortest exact form', () => {
    expect(convertQuantity('1.5', GB, MB, seeded).toString()).toBe('1536');
    expect(convertQuantity('512', MB, GB, seeded).toString()).toBe('0.5');
    expect(convertQuantity('1', BYTE, KB, seeded).toString()).toBe('0.0009765625');
    expect(convertQuantity('12.34', YUAN, FEN, seeded).toString()).toBe('1234');
    expect(convertQuantity('7', FEN, YUAN, seeded).toString()).toBe('0.07');
    expect(convertQuantity('90', MINUTE, HOUR, seeded).toString()).toBe('1.5');
    expect(convertQuantity('2', YEAR, MONTH, seeded).toString()).toBe('24');
    expect(convertQuantity('3', TB, BYTE, seeded).toString()).toBe('3298534883328');
  });

  it('refuses a result without a finite decimal form unless told where to round, then rounds half-even', () => {
    expect(() => convertQuantity('1', MINUTE, HOUR, seeded)).toThrow(ConversionError);
    expect(convertQuantity('1', MINUTE, HOUR, seeded, { scale: 6 }).toString()).toBe('0.016667');
    // 1 s = 1/3600 h = 0.000277…; 9 s = 0.0025 h exactly.
    expect(convertQuantity('9', SECOND, HOUR, seeded, { scale: 4 }).toString()).toBe('0.0025');
    // A finite result finer than the scale is rounded there: 0.0025 at 3 digits is a tie, half-even keeps 0.002.
    expect(convertQuantity('9', SECOND, HOUR, seeded, { scale: 3 }).toString()).toBe('0.002');
    expect(convertQuantity('9', SECOND, HOUR, seeded, { scale: 3, mode: RoundingMode.HalfUp }).toString()).toBe('0.003');
    expect(convertQuantity(Decimal.of('100'), SECOND, MINUTE, seeded, { scale: 2 }).toString()).toBe('1.67');
  });

  it('refuses to convert between unconnected units', () => {
    expect(() => convertQuantity('1', MONTH, DAY, seeded)).toThrow('no conversion from measure 6 to measure 5');
  });

  it('finds an inconsistent, cross-type or non-positive conversion in a table', () => {
    const bad: ConversionEdge[] = [...seeded, { measureId: DAY, refMeasureId: MINUTE, ratio: 1400n, measureType: 2 }];
    expect(conversionTableProblems(bad, units)).toEqual(expect.arrayContaining([expect.stringContaining('5 → 8: stated ratio 1400 but other conversions give 1440/1')]));
    expect(conversionTableProblems([{ measureId: GB, refMeasureId: HOUR, ratio: 1n, measureType: 3 }], units)).toEqual(['10 → 4: crosses measure types']);
    expect(conversionTableProblems([{ measureId: GB, refMeasureId: MB, ratio: 0n, measureType: 3 }], units)).toEqual(['10 → 11: ratio 0 is not positive']);
    expect(conversionTableProblems([{ measureId: GB, refMeasureId: 999, ratio: 2n, measureType: 3 }], units)).toEqual(['10 → 999: unknown unit']);
  });
});
