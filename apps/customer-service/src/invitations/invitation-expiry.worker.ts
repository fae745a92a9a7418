import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ExpireInvitationsJob } from '@settle/contracts';
import { JobQueue, LOGGER, Logger, SERVICE_CONFIG, createJobWorker } from '@settle/platform';
import { Worker } from 'bullmq';
import { CustomerServiceConfig } from '../config';
import { InvitationsService } from './invitations.service';

/**
 * Applies invitation expiry on a schedule: a BullMQ job scheduler enqueues `invitation.expire-due`
 * every INVITATION_EXPIRY_SWEEP_MS; every instance upserts the same scheduler, one job runs at a
 * time, and the job is idempotent (it only expires what is still pending and due).
 */
@Injectable()
export class InvitationExpiryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private queue?: JobQueue<typeof ExpireInvitationsJob>;
  private worker?: Worker;

  constructor(
    private readonly invitations: InvitationsService,
    @Inject(SERVICE_CONFIG) private readonly config: CustomerServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const connection = { redisUrl: this.config.REDIS_URL, prefix: this.config.REDIS_PREFIX };
    this.queue = new JobQueue(ExpireInvitationsJob, connection);
    this.worker = createJobWorker(
      [ExpireInvitationsJob],
      {
        'invitation.expire-due': async (data) => {
          const expired = await this.invitations.expireDue(new Date(), data.batch_size);
          if (expired) this.logger.info({ expired }, 'invitations expired');
          return { expired };
        },
      },
      connection,
      this.logger.child({ component: 'invitation-expiry' }),
    );
    await this.queue.schedule('invitation-expiry', this.config.INVITATION_EXPIRY_SWEEP_MS, { batch_size: 500 });
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }
}
