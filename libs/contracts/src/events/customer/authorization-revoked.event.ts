import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { defineEvent } from '../define-event';
import { IdSchema, IsoDateTimeSchema } from '../common.schemas';

/** The customer withdrew an authorization it had granted: the partner may no longer operate on its behalf. */
export const AuthorizationRevokedV1 = defineEvent({
  name: 'settle.customer.authorization.revoked',
  version: 1,
  topic: Topics.CustomerEvents,
  producer: 'customer-service',
  description: 'A customer revoked an authorization it had granted to a partner.',
  schema: z
    .object({
      authorization_id: IdSchema,
      partner_id: IdSchema,
      customer_id: IdSchema,
      reason: z.string().min(1).max(500).nullable(),
      revoked_at: IsoDateTimeSchema,
    })
    .strict(),
});
