import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { GenerateExportJob, SweepExportsJob } from '@settle/contracts';
import { DEFAULT_JOB_OPTIONS, InjectJobQueue, JobQueue, JobWorkers, LOGGER, Logger, SERVICE_CONFIG } from '@settle/platform';
import { BillingConfig } from '../config';
import { ExportsService } from './exports.service';

/** Runs export tasks on BullMQ (retried with backoff) and the scheduled sweep of expired files. */
@Injectable()
export class ExportsWorker implements OnApplicationBootstrap {
  constructor(
    private readonly exports: ExportsService,
    private readonly workers: JobWorkers,
    @InjectJobQueue(SweepExportsJob) private readonly sweep: JobQueue<typeof SweepExportsJob>,
    @Inject(SERVICE_CONFIG) private readonly config: BillingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const attempts = DEFAULT_JOB_OPTIONS.attempts ?? 1;
    this.workers.start(
      [GenerateExportJob, SweepExportsJob],
      {
        'export.generate': async (data, job) => {
          const outcome = await this.exports.produce(data.task_id, { number: job.attemptsMade + 1, last: job.attemptsMade + 1 >= (job.opts.attempts ?? attempts) });
          await job.updateProgress(100);
          return outcome;
        },
        'export.sweep': async (data) => {
          const swept = await this.exports.sweep(data.pending_older_than_ms);
          if (swept.expired || swept.requeued) this.logger.info(swept, 'exports swept');
          return swept;
        },
      },
      { component: 'exports', concurrency: 2 },
    );
    await this.sweep.schedule('exports-sweep', this.config.EXPORT_SWEEP_MS, { pending_older_than_ms: 30_000 });
  }
}
