import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { GenerateExportJob, SweepExportsJob } from '@settle/contracts';
import { DEFAULT_JOB_OPTIONS, JobQueue, LOGGER, Logger, SERVICE_CONFIG, createJobWorker } from '@settle/platform';
import { Worker } from 'bullmq';
import { BillingConfig } from '../config';
import { ExportsService } from './exports.service';

/** Runs export tasks on BullMQ (retried with backoff) and the scheduled sweep of expired files. */
@Injectable()
export class ExportsWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private generate?: JobQueue<typeof GenerateExportJob>;
  private sweep?: JobQueue<typeof SweepExportsJob>;
  private worker?: Worker;

  constructor(
    private readonly exports: ExportsService,
    @Inject(SERVICE_CONFIG) private readonly config: BillingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const connection = { redisUrl: this.config.REDIS_URL, prefix: this.config.REDIS_PREFIX };
    this.generate = new JobQueue(GenerateExportJob, connection);
    this.sweep = new JobQueue(SweepExportsJob, connection);
    this.exports.attachQueue(this.generate);
    const attempts = DEFAULT_JOB_OPTIONS.attempts ?? 1;
    this.worker = createJobWorker(
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
      connection,
      this.logger.child({ component: 'exports' }),
      { concurrency: 2 },
    );
    await this.sweep.schedule('exports-sweep', this.config.EXPORT_SWEEP_MS, { pending_older_than_ms: 30_000 });
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.generate?.close();
    await this.sweep?.close();
  }
}
