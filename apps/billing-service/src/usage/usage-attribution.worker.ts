import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AttributePendingUsageJob } from '@settle/contracts';
import { InjectJobQueue, JobQueue, JobWorkers, LOGGER, Logger } from '@settle/platform';
import { UsageIngestService } from './usage-ingest.service';

/** How often waiting records are retried against the ownership projection. */
export const USAGE_ATTRIBUTION_SWEEP_MS = 30_000;

/**
 * The backstop of attribution: the ownership events consumer books waiting records in the same
 * transaction as the association it projects; this scheduled, idempotent job books any waiting
 * record whose owner is known all the same (after a restore, a replay, an operator's fix).
 */
@Injectable()
export class UsageAttributionWorker implements OnApplicationBootstrap {
  constructor(
    private readonly usage: UsageIngestService,
    private readonly workers: JobWorkers,
    @InjectJobQueue(AttributePendingUsageJob) private readonly queue: JobQueue<typeof AttributePendingUsageJob>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.workers.start(
      [AttributePendingUsageJob],
      {
        'usage.attribute-pending': async (data) => {
          const booked = await this.usage.attributePending(data.batch_size);
          if (booked) this.logger.info({ booked }, 'waiting usage records attributed');
          return { booked };
        },
      },
      { component: 'usage-attribution' },
    );
    await this.queue.schedule('usage-attribution', USAGE_ATTRIBUTION_SWEEP_MS, { batch_size: 500 });
  }
}
