import { stringify } from 'csv-stringify';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import { ExportContext, ExportSource } from './export-source';

export interface WrittenFile {
  sizeBytes: number;
  rowCount: number;
}

/**
 * Writes an export to `path` through a `.part` file renamed at the end (one per attempt), so a reader (or a rerun
 * after a crash) never sees half a file. Rows go to disk as they are read, with back-pressure: the
 * process holds one batch at a time, whatever the size of the export.
 */
export async function writeExport<P>(source: ExportSource<P>, ctx: ExportContext<P>, path: string): Promise<WrittenFile> {
  // One part file per attempt: a stalled attempt still writing can never interleave with its rerun.
  const part = `${path}.${randomUUID()}.part`;
  await mkdir(dirname(path), { recursive: true });
  const file = createWriteStream(part);
  // A write error surfaces through `finished(file)`; without a listener it would crash the process.
  let writeError: Error | undefined;
  file.on('error', (error) => (writeError ??= error));
  let upstream: NodeJS.ReadableStream | undefined;
  try {
    let rowCount = 0;
    if (source.format === 'csv') {
      const csv = stringify({ header: true, columns: [...source.header], bom: true });
      upstream = csv;
      csv.pipe(file);
      for await (const batch of source.batches(ctx)) {
        for (const row of batch) {
          rowCount += 1;
          if (!csv.write(row)) await once(csv, 'drain');
        }
      }
      csv.end();
    } else {
      const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: source.fileName(ctx.params), Producer: 'Settle' } });
      upstream = doc;
      doc.pipe(file);
      rowCount = await source.render(ctx, doc);
      doc.end();
    }
    await finished(file);
    if (writeError) throw writeError;
    await rename(part, path);
    return { sizeBytes: (await stat(path)).size, rowCount };
  } catch (error) {
    // Stop the producer first, so nothing writes into the file stream once it is destroyed.
    upstream?.unpipe(file);
    file.destroy();
    await rm(part, { force: true });
    throw error;
  }
}
