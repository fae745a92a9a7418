import { BenchResults, formatTable, resultFileName, verdictTable, verdictsOf } from './bench-report';

const base: BenchResults = {
  date: '2026-12-02T17:00:00.000Z',
  machine: { cpus: 2, cpuModel: 'x', memoryMiB: 24_000, node: 'v20', platform: 'linux', gitCommit: 'abc', gitDirty: false },
  options: {},
  errors: [],
};

const outcomeOf = (results: BenchResults, measure: RegExp) => verdictsOf(results).find((v) => measure.test(v.measure))?.outcome;

describe('bench verdicts', () => {
  it('judges ingest against 10,000 rec/s and 50% of the raw limit', () => {
    const results: BenchResults = {
      ...base,
      ingest: [
        { records: 100_000, cycle: '2026-08', produceMs: 9_000, ms: 10_000, perSecond: 10_000, stored: 100_000, lines: 100_000, timedOut: false },
        { records: 1_000_000, cycle: '2026-09', produceMs: 100_000, ms: 125_000, perSecond: 8_000, stored: 1_000_000, lines: 1_000_000, timedOut: false },
      ],
      raw: { consume: { records: 1, ms: 1, perSecond: 100_000 }, copy: { rows: 1, ms: 1, perSecond: 20_000, method: 'COPY' }, limit: 20_000, ingestRatio: 0.4 },
    };
    expect(outcomeOf(results, /ingest 100,000/)).toBe('pass');
    expect(outcomeOf(results, /ingest 1,000,000/)).toBe('miss');
    expect(outcomeOf(results, /ingest \/ min/)).toBe('miss');
    expect(verdictsOf(results).find((v) => /ingest \/ min/.test(v.measure))?.value).toBe('40% of 20,000/s');
  });

  it('counts a timed-out phase as a miss whatever its rate', () => {
    const results: BenchResults = { ...base, ingest: [{ records: 10, cycle: '2026-08', produceMs: 1, ms: 1, perSecond: 50_000, stored: 5, lines: 5, timedOut: true }] };
    expect(outcomeOf(results, /ingest 10 /)).toBe('miss');
  });

  it('judges the million-record targets only at a million records', () => {
    const bills = (records: number, ms: number) => ({ ...base, bills: [{ records, cycle: '2026-09', ms, lines: records, perSecond: 1, partners: 200, status: 'completed' }] });
    expect(outcomeOf(bills(100_000, 40_000), /bill generation/)).toBe('n/a');
    expect(outcomeOf(bills(1_000_000, 29_000), /bill generation/)).toBe('pass');
    expect(outcomeOf(bills(1_000_000, 31_000), /bill generation/)).toBe('miss');
    const catchUp = { ...base, catchUp: { records: 1_000_000, produceMs: 1, msFromStart: 121_000, msFromReady: 100_000, perSecond: 1, timedOut: false, stored: 1_000_000 } };
    expect(outcomeOf(catchUp, /catch-up/)).toBe('miss');
  });

  it('judges latency p99, ledger rate and balance, API p95 at the fixed rate, and each service memory', () => {
    const api = { path: '/p', connections: 16, seconds: 5, requests: 1000, perSecond: 200, non2xx: 0, errors: 0, p50Ms: 5, p99Ms: 70 };
    const results: BenchResults = {
      ...base,
      latency: { offeredRate: 2000, achievedRate: 2000, records: 10, stored: 10, timedOut: false, count: 10, p50Ms: 100, p95Ms: 500, p99Ms: 1_000, maxMs: 1_200 },
      ledger: { calls: 100, failed: 0, entries: 100, ms: 40, perSecond: 2_500, unbalancedEntries: 1, concurrency: 16 },
      api: { concurrency: { ...api, offeredRate: null, p95Ms: 90 }, fixedRate: { ...api, offeredRate: 200, p95Ms: 50 } },
      memory: { gateway: 120, 'billing-service': 401 },
    };
    expect(outcomeOf(results, /produce→stored/)).toBe('pass');
    expect(outcomeOf(results, /ledger/)).toBe('miss');
    expect(outcomeOf(results, /signed API at 200/)).toBe('pass');
    expect(outcomeOf(results, /connections/)).toBe('n/a');
    expect(outcomeOf(results, /RSS gateway/)).toBe('pass');
    expect(outcomeOf(results, /RSS billing-service/)).toBe('miss');
  });

  it('prints one padded table with a result column', () => {
    expect(formatTable(['a', 'bb'], [['xyz', '1'], ['q', '']])).toBe(['a   | bb', '----|---', 'xyz | 1', 'q'].join('\n'));
    const table = verdictTable([{ measure: 'm', value: 'v', target: 't', outcome: 'pass' }, { measure: 'raw', value: '1', target: '', outcome: 'n/a' }]);
    expect(table.split('\n')).toEqual(['measure | value | target | result', '--------|-------|--------|-------', 'm       | v     | t      | pass', 'raw     | 1']);
  });

  it('names result files by UTC date and time, sortable and without colons', () => {
    expect(resultFileName(new Date('2026-12-02T17:05:09.123Z'))).toBe('2026-12-02T17-05-09Z.json');
  });
});
