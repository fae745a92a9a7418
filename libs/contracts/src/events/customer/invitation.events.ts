import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { defineEvent } from '../define-event';
import { AssociationTypeSchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';

/** A partner invited a prospect (online: valid 7 days; offline: never expires). */
export const InvitationCreatedV1 = defineEvent({
  name: 'settle.customer.invitation-created',
  version: 1,
  topic: Topics.CustomerEvents,
  producer: 'customer-service',
  description: 'A partner created (or re-sent, replacing an older one) an invitation for a prospect to register and associate.',
  schema: z
    .object({
      invitation_id: IdSchema,
      partner_id: IdSchema,
      kind: z.enum(['online', 'offline']),
      association_type: AssociationTypeSchema,
      expires_at: IsoDateTimeSchema.nullable(),
      replaces_invitation_id: IdSchema.nullable(),
    })
    .strict(),
});

/** An online invitation passed its 7 days without being accepted. */
export const InvitationExpiredV1 = defineEvent({
  name: 'settle.customer.invitation-expired',
  version: 1,
  topic: Topics.CustomerEvents,
  producer: 'customer-service',
  description: 'An online invitation expired unaccepted; it can be re-sent.',
  schema: z.object({ invitation_id: IdSchema, partner_id: IdSchema, expired_at: IsoDateTimeSchema }).strict(),
});
