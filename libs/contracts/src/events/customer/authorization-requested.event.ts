import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { defineEvent } from '../define-event';
import { IdSchema, IsoDateTimeSchema } from '../common.schemas';

/** A partner asked a customer for authorization to operate on its behalf (代客操作授权). */
export const AuthorizationRequestedV1 = defineEvent({
  name: 'settle.customer.authorization.requested',
  version: 1,
  topic: Topics.CustomerEvents,
  producer: 'customer-service',
  description: 'A partner requested authorization to operate on behalf of one of its associated customers; the customer has to approve or reject it.',
  schema: z
    .object({
      authorization_id: IdSchema,
      partner_id: IdSchema,
      customer_id: IdSchema,
      scope: z.string().min(1).max(64),
      requested_at: IsoDateTimeSchema,
    })
    .strict(),
});
