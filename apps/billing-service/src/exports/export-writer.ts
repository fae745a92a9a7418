import { stringify } from 'csv-stringify';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { ExportContext, ExportSource, FileFormat, fileFormatsOf } from './export-source';

export interface WrittenFile {
  sizeBytes: number;
  rowCount: number;
}

/**
 * Writes an export to `path` through a `.part` file renamed at the end (one per attempt), so a reader (or a rerun
 * after a crash) never sees half a file. Rows go to disk as they are read, with back-pressure: the
 * process holds one batch at a time, whatever the size of the export.
 */
export async function writeExport<P>(source: ExportSource<P>, ctx: ExportContext<P>, path: string, format: FileFormat = source.format === 'table' ? 'csv' : 'pdf'): Promise<WrittenFile> {
  if (!fileFormatsOf(source).includes(format)) throw new Error(`export type ${source.type} cannot be written as ${format}`);
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
    if (source.format === 'table' && format === 'csv') {
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
    } else if (source.format === 'table') {
      // Streaming workbook: each row is committed (serialized and released) as it is added. Values
      // stay text, so an amount is the exact decimal string, never a spreadsheet float.
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: file, useStyles: false, useSharedStrings: false });
      const sheet = workbook.addWorksheet(source.type);
      sheet.addRow([...source.header]).commit();
      for await (const batch of source.batches(ctx)) {
        for (const row of batch) {
          rowCount += 1;
          sheet.addRow([...row]).commit();
        }
        await drained(sheet, file);
      }
      sheet.commit();
      await workbook.commit();
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

/** Whether a writable asked its writer to wait for 'drain' (readable-stream 3, used by archiver, predates `writableNeedDrain`). */
function needsDrain(w: Writable): boolean {
  return w.writableNeedDrain ?? (w as unknown as { _writableState?: { needDrain?: boolean } })._writableState?.needDrain ?? false;
}

/**
 * exceljs's streaming writer writes into the zip without back-pressure: left alone, a fast producer
 * piles the whole sheet up in the deflate stream's buffer. Between batches, wait until what the
 * sheet feeds (its stream's pipe destinations, an exceljs internal) and the file have drained.
 */
async function drained(sheet: ExcelJS.Worksheet, file: Writable): Promise<void> {
  const destinations = (): Writable[] => (sheet as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes ?? [];
  for (;;) {
    const full = [...destinations(), file].find(needsDrain);
    if (!full) return;
    await once(full, 'drain');
  }
}
