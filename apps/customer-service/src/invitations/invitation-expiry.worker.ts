import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ExpireInvitationsJob } from '@settle/contracts';
import { InjectJobQueue, JobQueue, JobWorkers, LOGGER, Logger, SERVICE_CONFIG } from '@settle/platform';
import { CustomerServiceConfig } from '../config';
import { InvitationsService } from './invitations.service';

/**
 * Applies invitation expiry on a schedule: a BullMQ job scheduler enqueues `invitation.expire-due`
 * every INVITATION_EXPIRY_SWEEP_MS; every instance upserts the same scheduler, one job runs at a
 * time, and the job is idempotent (it only expires what is still pending and due).
 */
@Injectable()
export class InvitationExpiryWorker implements OnApplicationBootstrap {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly workers: JobWorkers,
    @InjectJobQueue(ExpireInvitationsJob) private readonly queue: JobQueue<typeof ExpireInvitationsJob>,
    @Inject(SERVICE_CONFIG) private readonly config: CustomerServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.workers.start(
      [ExpireInvitationsJob],
      {
        'invitation.expire-due': async (data) => {
          const expired = await this.invitations.expireDue(new Date(), data.batch_size);
          if (expired) this.logger.info({ expired }, 'invitations expired');
          return { expired };
        },
      },
      { component: 'invitation-expiry' },
    );
    await this.queue.schedule('invitation-expiry', this.config.INVITATION_EXPIRY_SWEEP_MS, { batch_size: 500 });
  }
}
