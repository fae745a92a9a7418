/**
 * Billing cycles as the calendar sees them (pure). A cycle is a month `YYYY-MM` in UTC+08:00
 * (`billCycleOf` in the usage contract decides which cycle an instant belongs to).
 */

/** A billing cycle YYYY-MM plus n months. */
export function addMonths(cycle: string, n: number): string {
  const [y, m] = cycle.split('-').map((p) => Number.parseInt(p, 10));
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12).toString().padStart(4, '0')}-${((index % 12) + 1).toString().padStart(2, '0')}`;
}

/** The first cycle at or after `from` that is not closed: where a late record or an adjustment is booked. */
export function firstOpenCycle(from: string, isClosed: (cycle: string) => boolean): string {
  let cycle = from;
  for (let i = 0; i < 1200 && isClosed(cycle); i++) cycle = addMonths(cycle, 1);
  if (isClosed(cycle)) throw new Error(`no open billing cycle after ${from}`);
  return cycle;
}
