import { LatencySummary, duration, grouped } from './bench-stats';

/** What one run measured; written as JSON to bench/results/<date>.json. */
export interface BenchResults {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryMiB: number; node: string; platform: string; gitCommit: string; gitDirty: boolean };
  options: Record<string, unknown>;
  setup?: { partners: number; customers: number; ms: number; ownershipMs: number };
  ingest?: IngestRun[];
  latency?: { offeredRate: number; achievedRate: number; records: number; stored: number; timedOut: boolean } & LatencySummary;
  raw?: {
    consume: { records: number; ms: number; perSecond: number };
    copy: { rows: number; ms: number; perSecond: number; method: string };
    limit: number;
    /** The largest ingest run's records/s over `limit`. */
    ingestRatio: number;
  };
  catchUp?: { records: number; produceMs: number; msFromStart: number; msFromReady: number; perSecond: number; timedOut: boolean; stored: number };
  bills?: BillRun[];
  ledger?: { calls: number; failed: number; entries: number; ms: number; perSecond: number; unbalancedEntries: number; concurrency: number };
  api?: { concurrency: ApiRun; fixedRate: ApiRun };
  /** Peak resident memory of each service process, MiB. */
  memory?: Record<string, number>;
  /** Phases that threw, with the reason (the run goes on with the next phase). */
  errors: { phase: string; message: string }[];
  verdicts?: Verdict[];
}

export interface IngestRun {
  records: number;
  cycle: string;
  /** Time the bench took to produce the records: when it is close to `ms`, the producer bounded the figure. */
  produceMs: number;
  ms: number;
  perSecond: number;
  stored: number;
  lines: number;
  timedOut: boolean;
}

export interface BillRun {
  records: number;
  cycle: string;
  ms: number;
  lines: number;
  perSecond: number;
  partners: number;
  status: string;
}

export interface ApiRun {
  path: string;
  connections: number;
  seconds: number;
  /** Requests per second asked for (fixed-rate run), or null (as fast as the connections go). */
  offeredRate: number | null;
  requests: number;
  perSecond: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** The targets of issue 9, section 2. */
export const TARGETS = {
  ingestPerSecond: 10_000,
  ingestRatio: 0.5,
  latencyP99Ms: 1_000,
  catchUpMsPerMillion: 120_000,
  billsMsPerMillion: 30_000,
  ledgerPerSecond: 2_000,
  apiP95Ms: 50,
  rssMiB: 400,
} as const;

export type Outcome = 'pass' | 'miss' | 'n/a';

export interface Verdict {
  measure: string;
  value: string;
  target: string;
  outcome: Outcome;
}

const outcome = (ok: boolean, measured = true): Outcome => (!measured ? 'n/a' : ok ? 'pass' : 'miss');

/**
 * Every figure with its target and whether it was met. Targets stated for a million records
 * (catch-up, bill generation) are judged at that size only: a smaller run is shown, not judged.
 */
export function verdictsOf(r: BenchResults): Verdict[] {
  const rows: Verdict[] = [];
  for (const run of r.ingest ?? []) {
    rows.push({
      measure: `ingest ${grouped(run.records)} records (${run.cycle})`,
      value: `${grouped(run.perSecond)} rec/s in ${duration(run.ms)} (produced in ${duration(run.produceMs)})${run.timedOut ? ` (timed out, ${grouped(run.stored)} stored)` : ''}`,
      target: `≥ ${grouped(TARGETS.ingestPerSecond)} rec/s`,
      outcome: outcome(!run.timedOut && run.perSecond >= TARGETS.ingestPerSecond),
    });
  }
  if (r.raw) {
    rows.push({ measure: 'raw: no-op kafkajs consumer (eachBatch)', value: `${grouped(r.raw.consume.perSecond)} rec/s (${grouped(r.raw.consume.records)})`, target: '', outcome: 'n/a' });
    rows.push({ measure: `raw: ${r.raw.copy.method}`, value: `${grouped(r.raw.copy.perSecond)} rows/s (${grouped(r.raw.copy.rows)})`, target: '', outcome: 'n/a' });
    rows.push({
      measure: 'ingest / min(raw consume, raw copy)',
      value: `${Math.round(r.raw.ingestRatio * 1000) / 10}% of ${grouped(r.raw.limit)}/s`,
      target: `≥ ${TARGETS.ingestRatio * 100}%`,
      outcome: outcome(r.raw.ingestRatio >= TARGETS.ingestRatio, r.raw.limit > 0 && (r.ingest ?? []).length > 0),
    });
  }
  if (r.latency) {
    rows.push({
      measure: `produce→stored at ${grouped(r.latency.offeredRate)} rec/s (achieved ${grouped(r.latency.achievedRate)})`,
      value: `p50 ${grouped(r.latency.p50Ms)} ms, p99 ${grouped(r.latency.p99Ms)} ms, max ${grouped(r.latency.maxMs)} ms${r.latency.timedOut ? ` (timed out, ${grouped(r.latency.stored)}/${grouped(r.latency.records)} stored)` : ''}`,
      target: `p99 ≤ ${grouped(TARGETS.latencyP99Ms)} ms`,
      outcome: outcome(!r.latency.timedOut && r.latency.p99Ms <= TARGETS.latencyP99Ms),
    });
  }
  if (r.catchUp) {
    const million = r.catchUp.records >= 1_000_000;
    rows.push({
      measure: `catch-up: ${grouped(r.catchUp.records)} backlog, billing restarted`,
      value: `${duration(r.catchUp.msFromStart)} from start (${duration(r.catchUp.msFromReady)} from ready), ${grouped(r.catchUp.perSecond)} rec/s${r.catchUp.timedOut ? ' (timed out)' : ''}`,
      target: `1,000,000 ≤ ${duration(TARGETS.catchUpMsPerMillion)}`,
      outcome: r.catchUp.timedOut ? 'miss' : outcome(r.catchUp.msFromStart <= TARGETS.catchUpMsPerMillion, million),
    });
  }
  for (const run of r.bills ?? []) {
    const million = run.records >= 1_000_000;
    rows.push({
      measure: `bill generation ${grouped(run.records)} records, ${grouped(run.partners)} partners`,
      value: `${duration(run.ms)}, ${grouped(run.perSecond)} lines/s (${run.status})`,
      target: `1,000,000 ≤ ${duration(TARGETS.billsMsPerMillion)}`,
      outcome: run.status !== 'completed' ? 'miss' : outcome(run.ms <= TARGETS.billsMsPerMillion, million),
    });
  }
  if (r.ledger) {
    rows.push({
      measure: `ledger: funding + reclaims, ${r.ledger.concurrency} concurrent`,
      value: `${grouped(r.ledger.perSecond)} entries/s (${grouped(r.ledger.entries)} entries, ${r.ledger.failed} failed, ${r.ledger.unbalancedEntries} unbalanced)`,
      target: `≥ ${grouped(TARGETS.ledgerPerSecond)} entries/s`,
      outcome: outcome(r.ledger.perSecond >= TARGETS.ledgerPerSecond && r.ledger.unbalancedEntries === 0 && r.ledger.failed === 0),
    });
  }
  if (r.api) {
    const c = r.api.concurrency;
    rows.push({
      measure: `signed API ${c.path}, ${c.connections} connections`,
      value: `${grouped(c.perSecond)} req/s, p50 ${c.p50Ms} / p95 ${c.p95Ms} / p99 ${c.p99Ms} ms${c.non2xx + c.errors ? `, ${c.non2xx + c.errors} failed` : ''}`,
      target: '',
      outcome: 'n/a',
    });
    const f = r.api.fixedRate;
    rows.push({
      measure: `signed API at ${grouped(f.offeredRate ?? 0)} req/s`,
      value: `${grouped(f.perSecond)} req/s, p50 ${f.p50Ms} / p95 ${f.p95Ms} / p99 ${f.p99Ms} ms${f.non2xx + f.errors ? `, ${f.non2xx + f.errors} failed` : ''}`,
      target: `p95 ≤ ${TARGETS.apiP95Ms} ms`,
      outcome: outcome(f.p95Ms <= TARGETS.apiP95Ms && f.non2xx + f.errors === 0),
    });
  }
  for (const [service, mib] of Object.entries(r.memory ?? {})) {
    rows.push({ measure: `peak RSS ${service}`, value: `${mib} MiB`, target: `≤ ${TARGETS.rssMiB} MiB`, outcome: outcome(mib <= TARGETS.rssMiB) });
  }
  return rows;
}

/** One plain-text table, columns padded to their widest cell. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => {
    let used = cells.length;
    while (used > 1 && !cells[used - 1]) used -= 1; // no dangling separators after empty cells
    return cells.slice(0, used).map((cell, i) => (cell ?? '').padEnd(widths[i])).join(' | ').trimEnd();
  };
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

export function verdictTable(verdicts: Verdict[]): string {
  return formatTable(
    ['measure', 'value', 'target', 'result'],
    verdicts.map((v) => [v.measure, v.value, v.target, v.outcome === 'n/a' ? '' : v.outcome]),
  );
}

/** `bench/results/2026-12-02T17-05-09Z.json`: sortable, one file per run, no characters a file system refuses. */
export function resultFileName(date: Date): string {
  return `${date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-')}.json`;
}
