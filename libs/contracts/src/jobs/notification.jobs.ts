import { z } from 'zod';
import { defineJob } from './define-job';
import { Queues } from './queues';

/** Delivers one stored notification through the channel; a delivered one is never sent again. */
export const DeliverNotificationJob = defineJob({
  queue: Queues.Notifications,
  name: 'notification.deliver',
  version: 1,
  description: 'Deliver the notification with this id through the notification channel and mark it delivered (idempotent).',
  schema: z.object({ notification_id: z.string().min(1).max(64) }).strict(),
});

/** Re-enqueues notifications still pending after a grace period (a crash between commit and enqueue). */
export const SweepNotificationsJob = defineJob({
  queue: Queues.Notifications,
  name: 'notification.sweep',
  version: 1,
  description: 'Enqueue delivery of every notification still pending after the grace period.',
  schema: z.object({ older_than_ms: z.number().int().min(0).max(3_600_000).default(5_000) }).strict(),
});
