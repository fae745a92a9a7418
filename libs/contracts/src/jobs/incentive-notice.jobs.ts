import { z } from 'zod';
import { BillCycleSchema } from '../events/usage/usage-record.event';
import { defineJob } from './define-job';
import { Queues } from './queues';

/** Lists the partners with accruals to notice in the run's period and enqueues one notice job each. Idempotent. */
export const FanOutNoticeRunJob = defineJob({
  queue: Queues.IncentiveNotices,
  name: 'incentive-notice-run.fan-out',
  version: 1,
  description: 'List the partners with eligible amounts to notice in the run’s period, record them on the run and enqueue one notice job each (idempotent).',
  schema: z.object({ run_id: z.uuid() }).strict(),
});

/**
 * Issues one partner's incentive notice of a period (natural key: partner + period): computes it
 * from the accruals and the policies and writes it once; a retry or re-run finds it issued.
 */
export const IssueIncentiveNoticeJob = defineJob({
  queue: Queues.IncentiveNotices,
  name: 'incentive-notice.issue',
  version: 1,
  description: 'Compute and issue the partner’s incentive notice of the period (one per partner, period and currency, never two), under the partner’s lock.',
  schema: z.object({ run_id: z.uuid(), partner_id: z.string().min(1).max(64), period: BillCycleSchema }).strict(),
});
