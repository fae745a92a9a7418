import { BenchUsageError, PHASES, parseBenchArgs, parseCount, parseSizes } from './bench-options';

describe('bench options', () => {
  it('defaults to the full data set of the issue: 200 partners, 20,000 customers, 1,000,000 records, growth at 100,000 and 1,000,000', () => {
    const o = parseBenchArgs([]);
    expect(o).toMatchObject({ quick: false, partners: 200, customers: 20_000, records: 1_000_000, sizes: [100_000, 1_000_000], backlog: 1_000_000, latencyRate: 2_000, apiRate: 200 });
    expect(o.phases).toEqual([...PHASES]);
  });

  it('--quick is the 100,000-record version with growth at 10,000 and 100,000 and a smaller cast', () => {
    expect(parseBenchArgs(['--quick'])).toMatchObject({ quick: true, partners: 50, customers: 2_000, records: 100_000, sizes: [10_000, 100_000], backlog: 100_000, latencySeconds: 10 });
  });

  it('derives the growth sizes and the backlog from --records, and flags override --quick', () => {
    expect(parseBenchArgs(['--records', '5000'])).toMatchObject({ records: 5_000, sizes: [500, 5_000], backlog: 5_000 });
    expect(parseBenchArgs(['--quick', '--records', '20_000', '--partners', '3', '--customers', '30'])).toMatchObject({ records: 20_000, sizes: [2_000, 20_000], partners: 3, customers: 30 });
    expect(parseBenchArgs(['--records', '1'])).toMatchObject({ sizes: [1] });
  });

  it('takes explicit sizes, whose last is the record count', () => {
    expect(parseBenchArgs(['--sizes', '1_000,10_000,100_000', '--backlog', '7'])).toMatchObject({ sizes: [1_000, 10_000, 100_000], records: 100_000, backlog: 7 });
    expect(() => parseBenchArgs(['--sizes', '10,20', '--records', '30'])).toThrow(/--records 30 must be the last of --sizes/);
  });

  it('refuses what it cannot run, naming the flag', () => {
    expect(() => parseBenchArgs(['--records'])).toThrow(new BenchUsageError('--records needs a value'));
    expect(() => parseBenchArgs(['--records', 'many'])).toThrow(/--records must be a whole number/);
    expect(() => parseBenchArgs(['--records', '0'])).toThrow(/at least 1/);
    expect(() => parseBenchArgs(['--records', '1.5'])).toThrow(/whole number/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseBenchArgs(['--partners', '10', '--customers', '5'])).toThrow(/--customers \(5\) must be at least --partners \(10\)/);
    expect(() => parseBenchArgs(['--log-level', 'loud'])).toThrow(/pino level/);
  });

  it('reads counts with thousands separators', () => {
    expect(parseCount('--records', '1,000,000')).toBe(1_000_000);
    expect(parseCount('--records', '1_000_000')).toBe(1_000_000);
  });

  it('wants growth sizes ascending and says how to write thousands there', () => {
    expect(parseSizes('10,100')).toEqual([10, 100]);
    expect(() => parseSizes('100,10')).toThrow(/ascending without repeats/);
    expect(() => parseSizes('10,000,100,000')).toThrow(BenchUsageError);
  });

  it('runs the chosen phases in the bench order', () => {
    expect(parseBenchArgs(['--phases', 'api,ingest']).phases).toEqual(['ingest', 'api']);
    expect(() => parseBenchArgs(['--phases', 'ingest,warp'])).toThrow(/unknown phase\(s\) warp/);
  });
});
