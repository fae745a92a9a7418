import { z } from 'zod';
import { defineJob } from './define-job';
import { Queues } from './queues';

/**
 * Marks online invitations whose 7 days have passed as expired and announces each. Scheduled
 * every minute; idempotent (it only touches invitations still pending and past their expiry).
 */
export const ExpireInvitationsJob = defineJob({
  queue: Queues.InvitationExpiry,
  name: 'invitation.expire-due',
  version: 1,
  description: 'Expire every pending online invitation past its expiry time and publish invitation-expired for each.',
  schema: z.object({ batch_size: z.number().int().min(1).max(5_000).default(500) }).strict(),
});
