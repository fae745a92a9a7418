/**
 * `npm run bench:exports [rows]`: writes a synthetic table export of `rows` lines (default 300,000;
 * 23 text columns like bill details) as CSV and as XLSX through the real export writer, and prints
 * for each the time, the file size, rows per second and the growth of the process's peak memory.
 * A writer that held the data set would grow with the row count; a streaming one stays flat.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { TableExportSource } from '../apps/billing-service/src/exports/export-source';
import { writeExport } from '../apps/billing-service/src/exports/export-writer';

const rows = Number(process.argv[2] ?? 300_000);
const columns = 23;

const synthetic: TableExportSource<Record<string, never>> = {
  type: 'synthetic',
  description: 'generated rows',
  format: 'table',
  params: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  fileName: () => 'synthetic',
  header: Array.from({ length: columns }, (_, i) => `column_${i}`),
  async *batches() {
    for (let start = 0; start < rows; start += 1_000) {
      yield Array.from({ length: Math.min(1_000, rows - start) }, (_, r) =>
        Array.from({ length: columns }, (_, c) => (c === 7 ? `${(start + r) % 9_999}.${String((start + r) % 100).padStart(2, '0')}` : `value-${start + r}-${c}`)),
      );
    }
  },
};

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'settle-bench-exports-'));
  try {
    console.log(`export writer, ${rows.toLocaleString('en')} rows × ${columns} columns`);
    for (const format of ['csv', 'xlsx'] as const) {
      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const started = process.hrtime.bigint();
      const written = await writeExport(synthetic, { dataSource: undefined as unknown as DataSource, partnerId: 'bench', params: {} }, join(dir, `synthetic.${format}`), format);
      const ns = process.hrtime.bigint() - started;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      // Figures in integer arithmetic: tenths of a MiB, hundredths of a second.
      const mib = (bytes: number) => {
        const tenths = (BigInt(bytes) * 10n) / 1_048_576n;
        return `${tenths / 10n}.${tenths % 10n}`;
      };
      const seconds = `${ns / 1_000_000_000n}.${String((ns / 10_000_000n) % 100n).padStart(2, '0')}`;
      const perSecond = (BigInt(written.rowCount) * 1_000_000_000n) / ns;
      console.log(
        `${format.padEnd(4)}  ${written.rowCount.toLocaleString('en')} rows  ${seconds} s  ${perSecond.toLocaleString('en')} rows/s  file ${mib(written.sizeBytes)} MiB  peak RSS +${mib(peak - baseline)} MiB (baseline ${mib(baseline)} MiB)`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
