import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, CurrencySchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';
import { BillCycleSchema } from '../usage/usage-record.event';

/**
 * billing-service put a split bill into the split section of a reconciliation statement: the
 * statement's `revision` is the first that shows it, so a confirmation of that revision (or a
 * later one) confirms the split bill. Key: the partner id (the same partition as the statement's
 * confirmation, which therefore always comes after it).
 */
export const StatementSplitSectionAttachedV1 = defineEvent({
  name: 'settle.billing.statement.split-section-attached',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'A marketplace split bill entered the split section of a reconciliation statement, from the named revision on.',
  schema: z
    .object({
      statement_id: z.uuid(),
      partner_id: IdSchema,
      /** The statement's cycle (a split bill that arrives after its own cycle's statement was confirmed enters a later one). */
      bill_cycle: BillCycleSchema,
      revision: z.number().int().min(1),
      split_bill_id: z.uuid(),
      split_bill_cycle: BillCycleSchema,
      currency: CurrencySchema,
      partner_amount: AmountSchema,
      attached_at: IsoDateTimeSchema,
    })
    .strict(),
});
