import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { z } from 'zod';

/**
 * What a source gets to produce one export: the partner's data only. `dataSource` is the export's
 * transaction, held to the partner's rows by row-level security.
 */
export interface ExportContext<P> {
  dataSource: Pick<EntityManager, 'query' | 'getRepository'>;
  partnerId: string;
  params: P;
}

interface ExportSourceBase<P> {
  /** The `export_type` a caller asks for. */
  readonly type: string;
  readonly description: string;
  /** The export's parameters (besides `export_type`), validated when the task is created. */
  readonly params: z.ZodType<P>;
  /** The downloaded file's name without its extension (the file format adds it). */
  fileName(params: P): string;
}

/**
 * A table export: a header and the rows in batches, written as CSV or XLSX as the caller asks. A
 * source reads its rows a batch at a time (keyset paging), so an export of any size never holds the
 * whole data set in memory.
 */
export interface TableExportSource<P = Record<string, unknown>> extends ExportSourceBase<P> {
  readonly format: 'table';
  readonly header: readonly string[];
  batches(ctx: ExportContext<P>): AsyncIterable<readonly (readonly string[])[]>;
}

/** A PDF export drawn with pdfkit on the document it is given; returns the number of data rows drawn. */
export interface PdfExportSource<P = Record<string, unknown>> extends ExportSourceBase<P> {
  readonly format: 'pdf';
  render(ctx: ExportContext<P>, doc: PDFKit.PDFDocument): Promise<number>;
}

export type ExportSource<P = Record<string, unknown>> = TableExportSource<P> | PdfExportSource<P>;

export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;
export type FileFormat = keyof typeof CONTENT_TYPES;

/** The file formats a source can be written in; the first is the default. */
export function fileFormatsOf(source: Pick<ExportSource, 'format'>): readonly FileFormat[] {
  return source.format === 'table' ? ['csv', 'xlsx'] : ['pdf'];
}

/**
 * The export types billing offers. Each feature registers its own sources (bills, accounts…) when
 * its module starts, so adding an export never edits the export machinery.
 */
@Injectable()
export class ExportSourceRegistry {
  private readonly sources = new Map<string, ExportSource<never>>();

  register<P>(source: ExportSource<P>): void {
    if (this.sources.has(source.type)) throw new Error(`export type ${source.type} is registered twice`);
    this.sources.set(source.type, source as unknown as ExportSource<never>);
  }

  get(type: string): ExportSource<Record<string, unknown>> | undefined {
    return this.sources.get(type) as ExportSource<Record<string, unknown>> | undefined;
  }

  types(): string[] {
    return [...this.sources.keys()].sort();
  }
}

/**
 * Keyset paging over a query ordered by a unique text/uuid key: yields batches of `size` rows, each
 * query starting after the last key seen. `query(afterKey, size)` must order by that key.
 */
export async function* keysetBatches<R>(query: (afterKey: string | null, size: number) => Promise<R[]>, keyOf: (row: R) => string, size = 1_000): AsyncIterable<R[]> {
  let after: string | null = null;
  for (;;) {
    const rows = await query(after, size);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < size) return;
    after = keyOf(rows[rows.length - 1]);
  }
}
