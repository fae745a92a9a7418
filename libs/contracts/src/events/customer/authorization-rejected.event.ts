import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { defineEvent } from '../define-event';
import { IdSchema, IsoDateTimeSchema } from '../common.schemas';

/** The customer rejected a partner's authorization request. */
export const AuthorizationRejectedV1 = defineEvent({
  name: 'settle.customer.authorization.rejected',
  version: 1,
  topic: Topics.CustomerEvents,
  producer: 'customer-service',
  description: 'A customer rejected a partner\'s request to operate on its behalf, giving a reason.',
  schema: z
    .object({
      authorization_id: IdSchema,
      partner_id: IdSchema,
      customer_id: IdSchema,
      reason: z.string().min(1).max(500),
      rejected_at: IsoDateTimeSchema,
    })
    .strict(),
});
