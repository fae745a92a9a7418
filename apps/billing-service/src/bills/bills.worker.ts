import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { FanOutBillRunJob, GeneratePartnerBillJob, ScheduledBillRunJob } from '@settle/contracts';
import { DEFAULT_JOB_OPTIONS, JobQueue, LOGGER, Logger, SERVICE_CONFIG, createJobWorker } from '@settle/platform';
import { Worker } from 'bullmq';
import { BillingConfig } from '../config';
import { BillsService } from './bills.service';

/**
 * Bill generation on BullMQ: the monthly schedule, the fan-out of a run and one job per partner,
 * retried with the platform's backoff. `BILL_WORKER_ENABLED=false` keeps an instance from taking
 * jobs (it still enqueues them), so workers can run as their own deployment.
 */
@Injectable()
export class BillsWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private fanOut?: JobQueue<typeof FanOutBillRunJob>;
  private partner?: JobQueue<typeof GeneratePartnerBillJob>;
  private scheduled?: JobQueue<typeof ScheduledBillRunJob>;
  private worker?: Worker;

  constructor(
    private readonly bills: BillsService,
    @Inject(SERVICE_CONFIG) private readonly config: BillingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const connection = { redisUrl: this.config.REDIS_URL, prefix: this.config.REDIS_PREFIX };
    this.fanOut = new JobQueue(FanOutBillRunJob, connection);
    this.partner = new JobQueue(GeneratePartnerBillJob, connection);
    this.scheduled = new JobQueue(ScheduledBillRunJob, connection);
    this.bills.attachQueues({ fanOut: this.fanOut, partner: this.partner });
    await this.scheduled.schedule('bill-run-monthly', { pattern: this.config.BILL_SCHEDULE_CRON, tz: this.config.BILL_SCHEDULE_TZ }, {});
    if (!this.config.BILL_WORKER_ENABLED) return;
    const maxAttempts = DEFAULT_JOB_OPTIONS.attempts ?? 1;
    this.worker = createJobWorker(
      [FanOutBillRunJob, GeneratePartnerBillJob, ScheduledBillRunJob],
      {
        'bill-run.fan-out': async (data, job) => ({ enqueued: await this.bills.fanOut(data.run_id, (p) => job.updateProgress(p)) }),
        'bill.generate-partner': async (data, job) => {
          try {
            const bills = await this.bills.generatePartnerBills(data.run_id, data.partner_id);
            await job.updateProgress(100);
            return { bills: bills.map((b) => ({ bill_id: b.id, currency: b.currency, revision: b.revision, status: b.status })) };
          } catch (error) {
            if (job.attemptsMade + 1 >= (job.opts.attempts ?? maxAttempts)) {
              await this.bills.recordFailure(data.run_id, data.partner_id, error instanceof Error ? error.message : String(error));
            }
            throw error;
          }
        },
        'bill-run.scheduled': async (data) => {
          const run = await this.bills.startScheduledRun(data.bill_cycle);
          return { run_id: run.id, bill_cycle: run.billCycle };
        },
      },
      connection,
      this.logger.child({ component: 'bill-generation' }),
      { concurrency: this.config.BILL_WORKER_CONCURRENCY, lockDurationMs: this.config.BILL_JOB_LOCK_MS },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await Promise.all([this.fanOut?.close(), this.partner?.close(), this.scheduled?.close()]);
  }
}
