import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { defineEvent } from '../define-event';
import { AssociationTypeSchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';

/** A customer stopped being a partner's customer at `effective_to` (history is kept). */
export const AssociationEndedV1 = defineEvent({
  name: 'settle.customer.association-ended',
  version: 1,
  topic: Topics.CustomerEvents,
  producer: 'customer-service',
  description: 'An association between a customer and a partner ended at effective_to.',
  schema: z
    .object({
      association_id: IdSchema,
      partner_id: IdSchema,
      customer_id: IdSchema,
      association_type: AssociationTypeSchema,
      effective_from: IsoDateTimeSchema,
      effective_to: IsoDateTimeSchema,
      reason: z.string().min(1).max(500),
    })
    .strict(),
});
