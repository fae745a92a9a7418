import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { FanOutBillRunJob, GeneratePartnerBillJob, ScheduledBillRunJob, SweepBillRunsJob } from '@settle/contracts';
import { DEFAULT_JOB_OPTIONS, InjectJobQueue, JobQueue, JobWorkers, SERVICE_CONFIG } from '@settle/platform';
import { BillingConfig } from '../config';
import { BillsService } from './bills.service';

/**
 * Bill generation on BullMQ: the monthly schedule, the run sweep, the fan-out of a run and one job
 * per partner, retried with the platform's backoff. `BILL_WORKER_ENABLED=false` keeps an instance
 * from taking jobs (it still enqueues them), so workers can run as their own deployment.
 */
@Injectable()
export class BillsWorker implements OnApplicationBootstrap {
  constructor(
    private readonly bills: BillsService,
    private readonly workers: JobWorkers,
    @InjectJobQueue(ScheduledBillRunJob) private readonly scheduled: JobQueue<typeof ScheduledBillRunJob>,
    @InjectJobQueue(SweepBillRunsJob) private readonly sweep: JobQueue<typeof SweepBillRunsJob>,
    @Inject(SERVICE_CONFIG) private readonly config: BillingConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduled.schedule('bill-run-monthly', { pattern: this.config.BILL_SCHEDULE_CRON, tz: this.config.BILL_SCHEDULE_TZ }, {});
    await this.sweep.schedule('bill-run-sweep', this.config.BILL_RUN_SWEEP_MS, { started_before_ms: 30_000 });
    if (!this.config.BILL_WORKER_ENABLED) return;
    const maxAttempts = DEFAULT_JOB_OPTIONS.attempts ?? 1;
    this.workers.start(
      [FanOutBillRunJob, GeneratePartnerBillJob, ScheduledBillRunJob, SweepBillRunsJob],
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
        'bill-run.sweep': async (data) => ({ requeued: await this.bills.requeueUnlistedRuns(data.started_before_ms) }),
      },
      { component: 'bill-generation', concurrency: this.config.BILL_WORKER_CONCURRENCY, lockDurationMs: this.config.BILL_JOB_LOCK_MS },
    );
  }
}
