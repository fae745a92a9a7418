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
    this.workers.start(
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
  }
}
