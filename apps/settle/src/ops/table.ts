import { CliError } from '../api-client';

/** Aligned columns for a person: a header row, then one row per item; `(none)` when empty. */
export function table(headers: string[], rows: Array<Array<string | number | null | undefined>>): string[] {
  if (rows.length === 0) return ['(none)'];
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), ...cells.map(line)];
}

/** "3m 20s"-style age of an instant. */
export function age(from: number | Date | undefined, now = Date.now()): string {
  if (from === undefined) return '-';
  const seconds = Math.max(0, Math.floor((now - (from instanceof Date ? from.getTime() : from)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d ${Math.floor((seconds % 86_400) / 3600)}h`;
}

/** Parses an ISO-8601 instant given on the command line. */
export function instant(value: string, flag: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) throw new CliError(`${flag} must be an ISO-8601 time such as 2026-12-03T02:00:00Z, not "${value}".`);
  return date;
}
