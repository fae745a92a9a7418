import { EntityManager, EntityTarget } from 'typeorm';

/** One column of a multi-row insert: its name, its PostgreSQL type, and how a row gives its value. */
export interface BulkColumn<R> {
  name: string;
  /** The element type of the column's array parameter, for example `text`, `bigint`, `timestamptz`. */
  type: string;
  value: (row: R) => unknown;
}

export interface BulkInsertOptions {
  /** For example `(record_id) DO NOTHING`; without it a conflict fails the statement. */
  onConflict?: string;
  /** Columns to return for the rows actually inserted, for example `record_id`. */
  returning?: string;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Inserts many rows in one statement: each column travels as one array parameter and
 * `unnest` turns them back into rows, so the statement has as many parameters as columns
 * whatever the number of rows (no 65,535-parameter limit, one plan, one round trip).
 * The hot paths use it instead of per-row ORM inserts.
 */
export async function bulkInsert<R, T = Record<string, unknown>>(
  manager: EntityManager,
  table: string,
  columns: readonly BulkColumn<R>[],
  rows: readonly R[],
  options: BulkInsertOptions = {},
): Promise<T[]> {
  if (rows.length === 0) return [];
  const names = columns.map((c) => quote(c.name)).join(', ');
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const sql =
    `INSERT INTO ${quote(table)} (${names}) SELECT * FROM unnest(${arrays})` +
    (options.onConflict ? ` ON CONFLICT ${options.onConflict}` : '') +
    (options.returning ? ` RETURNING ${options.returning}` : '');
  const parameters = columns.map((c) => rows.map((row) => c.value(row) ?? null));
  const result: T[] = await manager.query(sql, parameters);
  return options.returning ? result : [];
}

/**
 * `bulkInsert` of whole entities: the columns, their names and types come from the entity's
 * TypeORM metadata, so the statement follows the entity (and the migration drift check keeps the
 * entity true to the table).
 */
export async function insertEntities<E extends object, T = Record<string, unknown>>(
  manager: EntityManager,
  target: EntityTarget<E>,
  rows: readonly E[],
  options: BulkInsertOptions = {},
): Promise<T[]> {
  const metadata = manager.connection.getMetadata(target);
  const columns: BulkColumn<E>[] = metadata.columns.map((column) => ({
    name: column.databaseName,
    type: manager.connection.driver.normalizeType(column),
    value: (row: E) => column.getEntityValue(row),
  }));
  return bulkInsert<E, T>(manager, metadata.tableName, columns, rows, options);
}
