import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { GenerateSplitBillExportJob } from '@settle/contracts';
import { DEFAULT_JOB_OPTIONS, JobWorkers } from '@settle/platform';
import { ExportsService } from './exports.service';

/** Runs split bill export tasks on BullMQ (retried with backoff; each run idempotent by task id). */
@Injectable()
export class ExportsWorker implements OnApplicationBootstrap {
  constructor(
    private readonly exports: ExportsService,
    private readonly workers: JobWorkers,
  ) {}

  onApplicationBootstrap(): void {
    const attempts = DEFAULT_JOB_OPTIONS.attempts ?? 1;
    this.workers.start(
      [GenerateSplitBillExportJob],
      {
        'split-bill-export.generate': async (data, job) => this.exports.produce(data.task_id, { last: job.attemptsMade + 1 >= (job.opts.attempts ?? attempts) }),
      },
      { component: 'split-bill-exports', concurrency: 2 },
    );
  }
}
