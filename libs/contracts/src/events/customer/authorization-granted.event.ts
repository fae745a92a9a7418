import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { defineEvent } from '../define-event';
import { IdSchema, IsoDateTimeSchema } from '../common.schemas';

/** The customer approved a partner's authorization request: the partner may now operate on its behalf. */
export const AuthorizationGrantedV1 = defineEvent({
  name: 'settle.customer.authorization.granted',
  version: 1,
  topic: Topics.CustomerEvents,
  producer: 'customer-service',
  description: 'A customer approved a partner\'s request to operate on its behalf.',
  schema: z
    .object({
      authorization_id: IdSchema,
      partner_id: IdSchema,
      customer_id: IdSchema,
      scope: z.string().min(1).max(64),
      granted_at: IsoDateTimeSchema,
    })
    .strict(),
});
