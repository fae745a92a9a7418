import { Decimal, RoundingMode } from '@settle/money';

/** A stated conversion: 1 `from` = `ratio` `to` (e.g. 1 GB = 1024 MB), within one measure type. */
export interface ConversionEdge {
  measureId: number;
  refMeasureId: number;
  ratio: bigint;
  measureType: number;
}

/** An exact factor numerator/denominator, reduced, denominator > 0. */
export interface Factor {
  numerator: bigint;
  denominator: bigint;
}

export class ConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConversionError';
  }
}

const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

function factor(numerator: bigint, denominator: bigint): Factor {
  const g = gcd(numerator, denominator);
  return { numerator: numerator / g, denominator: denominator / g };
}

/**
 * The exact factor that turns a quantity in `from` into `to` by chaining stated conversions in
 * either direction (1 day = 24 h and 1 h = 3600 s give 1 day = 86400 s, and 1 s = 1/86400 day).
 * null when no chain connects them (different measure types, or units such as month and day whose
 * ratio is not fixed).
 */
export function conversionFactor(edges: readonly ConversionEdge[], from: number, to: number): Factor | null {
  if (from === to) return { numerator: 1n, denominator: 1n };
  const neighbours = new Map<number, { to: number; numerator: bigint; denominator: bigint }[]>();
  const link = (a: number, b: number, numerator: bigint, denominator: bigint) => {
    const list = neighbours.get(a) ?? [];
    list.push({ to: b, numerator, denominator });
    neighbours.set(a, list);
  };
  for (const e of edges) {
    if (e.ratio <= 0n) throw new ConversionError(`conversion ${e.measureId} → ${e.refMeasureId} has a non-positive ratio ${e.ratio}`);
    link(e.measureId, e.refMeasureId, e.ratio, 1n);
    link(e.refMeasureId, e.measureId, 1n, e.ratio);
  }
  // Breadth-first: the shortest chain; every chain gives the same factor when the table is consistent.
  const seen = new Map<number, Factor>([[from, { numerator: 1n, denominator: 1n }]]);
  const queue = [from];
  while (queue.length) {
    const at = queue.shift()!;
    const f = seen.get(at)!;
    for (const n of neighbours.get(at) ?? []) {
      if (seen.has(n.to)) continue;
      const next = factor(f.numerator * n.numerator, f.denominator * n.denominator);
      if (n.to === to) return next;
      seen.set(n.to, next);
      queue.push(n.to);
    }
  }
  return null;
}

/** Whether 1/denominator has a finite decimal expansion, and how many digits it needs. */
function terminatingDigits(denominator: bigint): number | null {
  let d = denominator;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos += 1;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives += 1;
  }
  return d === 1n ? Math.max(twos, fives) : null;
}

/**
 * A quantity in `from` expressed in `to`, exactly, in its shortest form ("1536" for 1.5 GB in MB). When the result has no finite decimal form
 * (1 minute in hours = 0.01666…), `scale` says where to round (half-even unless `mode` says
 * otherwise); without it that is an error, never a silent rounding.
 */
export function convertQuantity(
  quantity: Decimal | string,
  from: number,
  to: number,
  edges: readonly ConversionEdge[],
  options: { scale?: number; mode?: RoundingMode } = {},
): Decimal {
  const f = conversionFactor(edges, from, to);
  if (!f) throw new ConversionError(`no conversion from measure ${from} to measure ${to}`);
  const q = Decimal.of(quantity);
  const numerator = q.mantissa * f.numerator;
  const denominator = f.denominator * 10n ** BigInt(q.scale);
  const exact = factor(numerator, denominator);
  const digits = terminatingDigits(exact.denominator);
  if (digits !== null && (options.scale === undefined || digits <= options.scale)) {
    const mantissa = (exact.numerator * 10n ** BigInt(digits)) / exact.denominator;
    const value = Decimal.fromParts(mantissa, digits);
    return options.scale === undefined ? value : value.round(options.scale);
  }
  if (options.scale === undefined) {
    throw new ConversionError(`${q.toString()} of measure ${from} has no finite decimal value in measure ${to}; give a scale to round at`);
  }
  return Decimal.fromParts(exact.numerator, 0).dividedBy(Decimal.fromParts(exact.denominator, 0), options.scale, options.mode ?? RoundingMode.HalfEven);
}

/**
 * Problems of a conversion table: a ratio that is not positive, an edge across measure types or to
 * an unknown unit, or two chains between the same units that disagree (e.g. 1 day = 24 h,
 * 1 h = 60 min, but 1 day = 1400 min). Empty when the table is consistent.
 */
export function conversionTableProblems(edges: readonly ConversionEdge[], units: ReadonlyMap<number, { measureType: number }>): string[] {
  const problems: string[] = [];
  for (const e of edges) {
    if (e.ratio <= 0n) problems.push(`${e.measureId} → ${e.refMeasureId}: ratio ${e.ratio} is not positive`);
    const a = units.get(e.measureId);
    const b = units.get(e.refMeasureId);
    if (!a || !b) problems.push(`${e.measureId} → ${e.refMeasureId}: unknown unit`);
    else if (a.measureType !== e.measureType || b.measureType !== e.measureType) problems.push(`${e.measureId} → ${e.refMeasureId}: crosses measure types`);
  }
  if (problems.length) return problems;
  for (const e of edges) {
    const others = edges.filter((x) => x !== e);
    const viaOthers = conversionFactor(others, e.measureId, e.refMeasureId);
    if (viaOthers && !(viaOthers.numerator === e.ratio && viaOthers.denominator === 1n)) {
      problems.push(`${e.measureId} → ${e.refMeasureId}: stated ratio ${e.ratio} but other conversions give ${viaOthers.numerator}/${viaOthers.denominator}`);
    }
  }
  return problems;
}
