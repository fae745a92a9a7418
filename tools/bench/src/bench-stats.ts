import { build } from 'hdr-histogram-js';

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Latencies, kept in microseconds in an HDR histogram (3 significant digits, up to an hour), so a
 * million samples cost a few kilobytes and the percentiles are the standard ones; read in
 * milliseconds with one decimal.
 */
export class LatencyRecorder {
  private readonly histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
  private count = 0;

  record(ms: number): void {
    if (!Number.isFinite(ms)) throw new Error(`not a latency: ${ms}`);
    // A clock that ticks in milliseconds can put "stored" a hair before "produced": that is 0, not negative.
    this.histogram.recordValue(Math.min(3_600_000_000, Math.max(1, Math.round(ms * 1000))));
    this.count += 1;
  }

  summary(): LatencySummary {
    if (this.count === 0) return { count: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 };
    const ms = (micros: number) => Math.round(micros / 100) / 10;
    return {
      count: this.count,
      p50Ms: ms(this.histogram.getValueAtPercentile(50)),
      p95Ms: ms(this.histogram.getValueAtPercentile(95)),
      p99Ms: ms(this.histogram.getValueAtPercentile(99)),
      maxMs: ms(this.histogram.maxValue),
    };
  }
}

/** Work per second; 0 when no time passed (nothing measured). */
export function perSecond(count: number, ms: number): number {
  if (ms <= 0) return 0;
  return Math.round((count * 1000) / ms);
}

/**
 * Ingest as a share of what the components alone reach on this machine in the same run: the
 * slower of a no-op consumer of the same topic and COPY of the same rows into the same table.
 */
export function shareOfRawLimit(ingestPerSecond: number, rawConsumePerSecond: number, rawCopyPerSecond: number): { limit: number; ratio: number } {
  const limit = Math.min(rawConsumePerSecond, rawCopyPerSecond);
  return { limit, ratio: limit > 0 ? Math.round((ingestPerSecond / limit) * 1000) / 1000 : 0 };
}

/** 12345678 -> "12,345,678". */
export function grouped(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Milliseconds as a person reads them: "850 ms", "12.3 s", "2 min 05 s". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** Bytes as MiB with one decimal. */
export function mebibytes(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}
