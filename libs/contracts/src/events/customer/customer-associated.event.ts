import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { defineEvent } from '../define-event';
import { AssociationTypeSchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';

/** A customer became a partner's customer, in a mode, from a point in time. */
export const CustomerAssociatedV1 = defineEvent({
  name: 'settle.customer.associated',
  version: 1,
  topic: Topics.CustomerEvents,
  producer: 'customer-service',
  description: 'A customer was associated with a partner (agency-sale or consultant-sale) from effective_from on.',
  schema: z
    .object({
      association_id: IdSchema,
      partner_id: IdSchema,
      customer_id: IdSchema,
      association_type: AssociationTypeSchema,
      effective_from: IsoDateTimeSchema,
      /** The tier-2 reseller the customer buys through, when the partner is its tier-1 or distributor. */
      indirect_partner_id: IdSchema.nullable().optional(),
      /** The salesperson who manages the customer from the start (changes: account-manager-assigned). */
      account_manager_id: IdSchema.nullable().optional(),
    })
    .strict(),
});
