import { z } from 'zod';
import { defineJob } from './define-job';
import { Queues } from './queues';

/** Produces the file of one export task; a task whose file exists is never produced twice. */
export const GenerateExportJob = defineJob({
  queue: Queues.Exports,
  name: 'export.generate',
  version: 1,
  description: 'Write the file of the export task with this id (streamed in batches), then mark it succeeded with its size; idempotent.',
  schema: z.object({ task_id: z.uuid() }).strict(),
});

/**
 * Housekeeping of exports: deletes the files of expired tasks, and enqueues again tasks still
 * pending after a grace period (a crash between the task's commit and its enqueue).
 */
export const SweepExportsJob = defineJob({
  queue: Queues.Exports,
  name: 'export.sweep',
  version: 1,
  description: 'Expire export files past their expiry time and re-enqueue export tasks left pending.',
  schema: z.object({ pending_older_than_ms: z.number().int().min(0).max(3_600_000).default(30_000) }).strict(),
});
