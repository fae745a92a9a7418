import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { GenerateSplitBillExportJob, SweepSplitBillExportsJob } from '@settle/contracts';
import { DEFAULT_JOB_OPTIONS, InjectJobQueue, JobQueue, JobWorkers, LOGGER, Logger, SERVICE_CONFIG } from '@settle/platform';
import { MarketplaceConfig } from '../config';
import { ExportsService } from './exports.service';

/** Runs split bill export tasks on BullMQ (retried with backoff; each run idempotent by task id) and the scheduled sweep. */
@Injectable()
export class ExportsWorker implements OnApplicationBootstrap {
  constructor(
    private readonly exports: ExportsService,
    private readonly workers: JobWorkers,
    @InjectJobQueue(SweepSplitBillExportsJob) private readonly sweep: JobQueue<typeof SweepSplitBillExportsJob>,
    @Inject(SERVICE_CONFIG) private readonly config: MarketplaceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const attempts = DEFAULT_JOB_OPTIONS.attempts ?? 1;
    this.workers.start(
      [GenerateSplitBillExportJob, SweepSplitBillExportsJob],
      {
        'split-bill-export.generate': async (data, job) => this.exports.produce(data.task_id, { last: job.attemptsMade + 1 >= (job.opts.attempts ?? attempts) }),
        'split-bill-export.sweep': async (data) => {
          const swept = await this.exports.sweep(data.pending_older_than_ms);
          if (swept.expired || swept.requeued) this.logger.info(swept, 'split bill exports swept');
          return swept;
        },
      },
      { component: 'split-bill-exports', concurrency: 2 },
    );
    await this.sweep.schedule('split-bill-exports-sweep', this.config.MARKETPLACE_EXPORT_SWEEP_MS, { pending_older_than_ms: 30_000 });
  }
}
