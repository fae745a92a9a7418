import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DeliverInvoiceNotificationJob, SweepInvoiceNotificationsJob } from '@settle/contracts';
import { InjectJobQueue, JobQueue, JobWorkers, SERVICE_CONFIG } from '@settle/platform';
import { InvoiceConfig } from '../config';
import { NotificationsService } from './notifications.service';

/**
 * Invoice notifications on BullMQ: one job per delivery (retried with exponential backoff and
 * jitter; after the last attempt it stays in the failed set with its reason) and the sweep that
 * enqueues deliveries whose job was never enqueued. `INVOICE_NOTIFICATION_WORKER_ENABLED=false`
 * keeps an instance from taking jobs (it still records and enqueues them).
 */
@Injectable()
export class NotificationsWorker implements OnApplicationBootstrap {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly workers: JobWorkers,
    @InjectJobQueue(SweepInvoiceNotificationsJob) private readonly sweep: JobQueue<typeof SweepInvoiceNotificationsJob>,
    @Inject(SERVICE_CONFIG) private readonly config: InvoiceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep.schedule('invoice-notification-sweep', this.config.INVOICE_NOTIFICATION_SWEEP_MS, { limit: 1_000 });
    if (!this.config.INVOICE_NOTIFICATION_WORKER_ENABLED) return;
    const worker = this.workers.start(
      [DeliverInvoiceNotificationJob, SweepInvoiceNotificationsJob],
      {
        'invoice-notification.deliver': async (data, job) => {
          const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          return { outcome: await this.notifications.deliver(data.delivery_id, data.generation, lastAttempt) };
        },
        'invoice-notification.sweep': async (data) => ({ enqueued: await this.notifications.sweep(data.limit) }),
      },
      { component: 'invoice-notifications', concurrency: this.config.INVOICE_NOTIFICATION_CONCURRENCY, lockDurationMs: this.config.INVOICE_NOTIFICATION_LOCK_MS },
    );
    // A job can also end failed without its handler recording it: stalled too often (its workers
    // were killed again and again). Its delivery must not stay pending forever (the sweep would
    // re-add an id BullMQ already holds): it is marked failed with the job's reason, for a replay.
    worker.on('failed', (job) => {
      if (!job || job.name !== DeliverInvoiceNotificationJob.name) return;
      void job
        .getState()
        .then((state) => (state === 'failed' ? this.notifications.markFailed(job.data?.data?.delivery_id, job.data?.data?.generation, job.failedReason ?? 'failed') : undefined))
        .catch(() => undefined);
    });
  }
}
