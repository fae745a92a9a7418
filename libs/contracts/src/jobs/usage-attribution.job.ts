import { z } from 'zod';
import { defineJob } from './define-job';
import { Queues } from './queues';

/**
 * The backstop of usage attribution: records stored as unattributed (billing did not yet know the
 * customer's partner at the record's time) are attributed and rated once the ownership projection
 * knows it. Scheduled; idempotent (it only touches records still unattributed, under row locks).
 */
export const AttributePendingUsageJob = defineJob({
  queue: Queues.UsageAttribution,
  name: 'usage.attribute-pending',
  version: 1,
  description: 'Attribute and rate every unattributed usage record whose customer owner at the record time is now known.',
  schema: z.object({ batch_size: z.number().int().min(1).max(5_000).default(500) }).strict(),
});
