import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { defineEvent } from '../define-event';
import { AssociationTypeSchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';

/**
 * A partner created a customer account (partner API "create customer"). The association with that
 * partner completes asynchronously: customer-service consumes this event and associates, so the
 * creating request never waits for it.
 */
export const CustomerCreatedV1 = defineEvent({
  name: 'settle.customer.created',
  version: 1,
  topic: Topics.CustomerEvents,
  producer: 'customer-service',
  description: 'A customer account was created by a partner; its association with that partner follows asynchronously.',
  schema: z
    .object({
      customer_id: IdSchema,
      domain_name: z.string().min(1).max(64),
      partner_id: IdSchema,
      indirect_partner_id: IdSchema.nullable(),
      association_type: AssociationTypeSchema,
      /** The salesperson who created the customer (it is assigned to them); absent or null otherwise. */
      account_manager_id: IdSchema.nullable().optional(),
      created_at: IsoDateTimeSchema,
    })
    .strict(),
});
