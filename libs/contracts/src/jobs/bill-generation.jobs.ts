import { z } from 'zod';
import { BillCycleSchema } from '../events/usage/usage-record.event';
import { defineJob } from './define-job';
import { Queues } from './queues';

/** Fans a bill run out: one partner-bill job per partner with lines in the run's cycle. Idempotent. */
export const FanOutBillRunJob = defineJob({
  queue: Queues.BillGeneration,
  name: 'bill-run.fan-out',
  version: 1,
  description: 'List the partners with bill lines in the run’s cycle, record them on the run and enqueue one partner-bill job each (idempotent).',
  schema: z.object({ run_id: z.uuid() }).strict(),
});

/** Generates (or regenerates) one partner's bill of the run's cycle: never two bills, never a changed final bill. */
export const GeneratePartnerBillJob = defineJob({
  queue: Queues.BillGeneration,
  name: 'bill.generate-partner',
  version: 1,
  description: 'Generate the partner’s bill for the run’s cycle from its bill lines, in one transaction under the partner-cycle lock; final when the cycle is closed.',
  schema: z.object({ run_id: z.uuid(), partner_id: z.string().min(1).max(64) }).strict(),
});

/** The monthly schedule: closes the previous cycle (if configured) and starts its run, once per cycle. */
export const ScheduledBillRunJob = defineJob({
  queue: Queues.BillGeneration,
  name: 'bill-run.scheduled',
  version: 1,
  description: 'Start the bill run of the previous cycle (UTC+08:00), closing it first when configured; one run per cycle however often it fires.',
  schema: z.object({ bill_cycle: BillCycleSchema.optional() }).strict(),
});

/**
 * The backstop of a manual or scheduled run: a run whose row committed but whose fan-out was never
 * enqueued (the process died, or Redis refused, between the two) is enqueued again.
 */
export const SweepBillRunsJob = defineJob({
  queue: Queues.BillGeneration,
  name: 'bill-run.sweep',
  version: 1,
  description: 'Enqueue again the fan-out of every running bill run that has not listed its partners after started_before_ms (same job id, so never twice).',
  schema: z.object({ started_before_ms: z.number().int().min(1_000).max(24 * 3600 * 1000) }).strict(),
});
