import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { FanOutNoticeRunJob, IssueIncentiveNoticeJob } from '@settle/contracts';
import { DEFAULT_JOB_OPTIONS, JobWorkers } from '@settle/platform';
import { NoticesService } from './notices.service';

/**
 * Notice runs on BullMQ: the fan-out of a run and one job per partner, retried with the
 * platform's backoff; a job that gives up marks its partner failed on the run.
 */
@Injectable()
export class NoticesWorker implements OnApplicationBootstrap {
  constructor(
    private readonly notices: NoticesService,
    private readonly workers: JobWorkers,
  ) {}

  onApplicationBootstrap(): void {
    const maxAttempts = DEFAULT_JOB_OPTIONS.attempts ?? 1;
    this.workers.start(
      [FanOutNoticeRunJob, IssueIncentiveNoticeJob],
      {
        'incentive-notice-run.fan-out': async (data, job) => ({ enqueued: await this.notices.fanOut(data.run_id, (p) => job.updateProgress(p)) }),
        'incentive-notice.issue': async (data, job) => {
          try {
            const notices = await this.notices.issue(data.run_id, data.partner_id, data.period);
            await job.updateProgress(100);
            return { notices: notices.map((n) => ({ notice_id: n.id, currency: n.currency, total_minor: n.totalMinor })) };
          } catch (error) {
            if (job.attemptsMade + 1 >= (job.opts.attempts ?? maxAttempts)) {
              await this.notices.recordFailure(data.run_id, data.partner_id, error instanceof Error ? error.message : String(error));
            }
            throw error;
          }
        },
      },
      { component: 'incentive-notices', concurrency: 2 },
    );
  }
}
