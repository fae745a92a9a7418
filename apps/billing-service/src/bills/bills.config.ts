import { z } from 'zod';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Bill generation settings (validated at start-up with billing's configuration). */
export const BillsConfigShape = {
  /** The VAT rate contained in billed amounts (amounts are tax-inclusive). */
  BILL_VAT_RATE: z.string().regex(/^0(\.\d{1,6})?$/, 'must be a rate such as 0.06').default('0.06'),
  /** Whether this instance runs bill-generation jobs (a deployment may run them on dedicated workers). */
  BILL_WORKER_ENABLED: bool.default(true),
  BILL_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /** How long a job stays with a worker that stopped answering before another takes it over. */
  BILL_JOB_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /** When the monthly run of the previous cycle starts (cron, in BILL_SCHEDULE_TZ). */
  BILL_SCHEDULE_CRON: z.string().min(9).default('0 2 2 * *'),
  BILL_SCHEDULE_TZ: z.string().min(1).default('Asia/Shanghai'),
  /** How often runs that never listed their partners (their fan-out was not enqueued) are enqueued again. */
  BILL_RUN_SWEEP_MS: z.coerce.number().int().min(1_000).max(3600 * 1000).default(60_000),
  /** Whether the scheduled run closes the previous cycle first (so its bills are final). */
  BILL_CLOSE_CYCLE_ON_SCHEDULE: bool.default(true),
};
