import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AttributePendingUsageJob } from '@settle/contracts';
import { BackendConfig, JobQueue, LOGGER, Logger, SERVICE_CONFIG, createJobWorker } from '@settle/platform';
import { Worker } from 'bullmq';
import { UsageIngestService } from './usage-ingest.service';

/** How often waiting records are retried against the ownership projection. */
export const USAGE_ATTRIBUTION_SWEEP_MS = 30_000;

/**
 * The backstop of attribution: the association consumer books waiting records when an association
 * arrives, but the ownership projection is another consumer and may lag behind it; this scheduled,
 * idempotent job books every waiting record whose owner is now known.
 */
@Injectable()
export class UsageAttributionWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private queue?: JobQueue<typeof AttributePendingUsageJob>;
  private worker?: Worker;

  constructor(
    private readonly usage: UsageIngestService,
    @Inject(SERVICE_CONFIG) private readonly config: BackendConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const connection = { redisUrl: this.config.REDIS_URL, prefix: this.config.REDIS_PREFIX };
    this.queue = new JobQueue(AttributePendingUsageJob, connection);
    this.worker = createJobWorker(
      [AttributePendingUsageJob],
      {
        'usage.attribute-pending': async (data) => {
          const booked = await this.usage.attributePending(data.batch_size);
          if (booked) this.logger.info({ booked }, 'waiting usage records attributed');
          return { booked };
        },
      },
      connection,
      this.logger.child({ component: 'usage-attribution' }),
    );
    await this.queue.schedule('usage-attribution', USAGE_ATTRIBUTION_SWEEP_MS, { batch_size: 500 });
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }
}
