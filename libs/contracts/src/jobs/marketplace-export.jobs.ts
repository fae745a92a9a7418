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
