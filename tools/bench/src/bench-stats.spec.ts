import { LatencyRecorder, duration, grouped, mebibytes, perSecond, shareOfRawLimit } from './bench-stats';

describe('bench statistics', () => {
  it('gives the percentiles of recorded latencies (1..1000 ms: p50 500, p99 990)', () => {
    const recorder = new LatencyRecorder();
    for (let ms = 1; ms <= 1000; ms++) recorder.record(ms);
    const summary = recorder.summary();
    expect(summary.count).toBe(1000);
    // HDR keeps 3 significant digits: within 0.1%.
    expect(Math.abs(summary.p50Ms - 500)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(summary.p95Ms - 950)).toBeLessThanOrEqual(1);
    expect(Math.abs(summary.p99Ms - 990)).toBeLessThanOrEqual(1);
    expect(Math.abs(summary.maxMs - 1000)).toBeLessThanOrEqual(1);
  });

  it('keeps sub-millisecond latencies (API calls) and counts a clock tie as the smallest latency, not a negative one', () => {
    const recorder = new LatencyRecorder();
    recorder.record(0.25);
    recorder.record(-2);
    expect(recorder.summary()).toMatchObject({ count: 2, p50Ms: 0, maxMs: 0.3 });
    expect(() => recorder.record(Number.NaN)).toThrow(/not a latency/);
  });

  it('summarises nothing recorded as zeros', () => {
    expect(new LatencyRecorder().summary()).toEqual({ count: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 });
  });

  it('computes rates and the share of the raw limit (the slower of consume and copy)', () => {
    expect(perSecond(1_000_000, 80_000)).toBe(12_500);
    expect(perSecond(5, 0)).toBe(0);
    expect(shareOfRawLimit(12_500, 200_000, 50_000)).toEqual({ limit: 50_000, ratio: 0.25 });
    expect(shareOfRawLimit(100, 0, 50_000)).toEqual({ limit: 0, ratio: 0 });
  });

  it('formats figures for the table', () => {
    expect(grouped(1234567.4)).toBe('1,234,567');
    expect(duration(850)).toBe('850 ms');
    expect(duration(12_345)).toBe('12.3 s');
    expect(duration(125_000)).toBe('2 min 05 s');
    expect(mebibytes(300 * 1024 * 1024 + 512 * 1024)).toBe(300.5);
  });
});
