import { z } from 'zod';
import { defineJob } from './define-job';
import { Queues } from './queues';

/** Writes the file of one split-bill export task (marketplace-service); a task whose file exists is never produced twice. */
export const GenerateSplitBillExportJob = defineJob({
  queue: Queues.MarketplaceExports,
  name: 'split-bill-export.generate',
  version: 1,
  description: 'Write the CSV of the split bill lines of the export task with this id (read in pages), then mark it succeeded; idempotent.',
  schema: z.object({ task_id: z.uuid() }).strict(),
});

/** Housekeeping of split-bill exports: deletes the files of expired tasks, enqueues again tasks left pending. */
export const SweepSplitBillExportsJob = defineJob({
  queue: Queues.MarketplaceExports,
  name: 'split-bill-export.sweep',
  version: 1,
  description: 'Expire split-bill export files past their expiry time and re-enqueue export tasks left pending.',
  schema: z.object({ pending_older_than_ms: z.number().int().min(0).max(3_600_000).default(30_000) }).strict(),
});
