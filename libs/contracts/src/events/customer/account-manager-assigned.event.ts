import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { defineEvent } from '../define-event';
import { IdSchema, IsoDateTimeSchema } from '../common.schemas';

/**
 * The salesperson (account manager) who manages a partner's customer changed. Keyed by the partner,
 * like the association events, so it follows the association it names on the same partition.
 */
export const AccountManagerAssignedV1 = defineEvent({
  name: 'settle.customer.account-manager-assigned',
  version: 1,
  topic: Topics.CustomerEvents,
  producer: 'customer-service',
  description: "A partner assigned a salesperson to one of its customers (account_manager_id), or unassigned one (null).",
  schema: z
    .object({
      association_id: IdSchema,
      partner_id: IdSchema,
      customer_id: IdSchema,
      /** The salesperson (a member of the partner) who manages the customer now; null: nobody. */
      account_manager_id: IdSchema.nullable(),
      assigned_at: IsoDateTimeSchema,
    })
    .strict(),
});
