import { z } from 'zod';
import { defineJob } from './define-job';
import { Queues } from './queues';

/**
 * Delivers one invoice notification through one channel to one target (an email address or a
 * webhook endpoint). The job id is the delivery's natural key (`delivery-<id>-<generation>`): a
 * redelivered event or a second sweep enqueues nothing twice; an operator's replay or a resumed
 * endpoint starts the next generation.
 */
export const DeliverInvoiceNotificationJob = defineJob({
  queue: Queues.InvoiceNotifications,
  name: 'invoice-notification.deliver',
  version: 1,
  description: 'Send one invoice notification delivery (email or webhook) and record the attempt; delivered ones are never sent again.',
  schema: z.object({ delivery_id: z.uuid(), generation: z.number().int().min(0).max(1_000_000) }).strict(),
});

/** Enqueues every delivery still pending (its job never enqueued: a crash, or a consumer's transaction). */
export const SweepInvoiceNotificationsJob = defineJob({
  queue: Queues.InvoiceNotifications,
  name: 'invoice-notification.sweep',
  version: 1,
  description: 'Enqueue the delivery job of every pending invoice notification delivery.',
  schema: z.object({ limit: z.number().int().min(1).max(10_000).default(1_000) }).strict(),
});
