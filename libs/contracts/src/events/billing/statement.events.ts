import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { BillCycleSchema } from '../usage/usage-record.event';
import { defineEvent } from '../define-event';

export const SplitProgramSchema = z.enum(['procurement-intervention', 'strict-selection']);

const StatementFields = {
  statement_id: z.uuid(),
  partner_id: IdSchema,
  bill_cycle: BillCycleSchema,
  program: SplitProgramSchema,
  revision: z.number().int().min(1),
  bill_id: z.uuid(),
  currency: z.string().length(3),
  /** What the partner's bill says it owes for the cycle (tax included). */
  bill_amount: AmountSchema,
};

/** A reconciliation statement awaits the partner's confirmation (a new revision replaces a disputed one). */
export const StatementGeneratedV1 = defineEvent({
  name: 'settle.billing.statement.generated',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'A reconciliation statement (or a new revision of a disputed one) was generated for a partner in a split program and awaits confirmation.',
  schema: z.object({ ...StatementFields, generated_at: IsoDateTimeSchema }).strict(),
});

/** The partner confirmed the statement: only now may split settlement proceed for this partner and cycle. */
export const StatementConfirmedV1 = defineEvent({
  name: 'settle.billing.statement.confirmed',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'A partner confirmed a reconciliation statement; split settlement of the cycle may proceed.',
  schema: z.object({ ...StatementFields, confirmed_at: IsoDateTimeSchema, confirmed_by: z.string().min(1) }).strict(),
});

/** The partner disputed the statement with a reason; settlement waits for a new revision. */
export const StatementDisputedV1 = defineEvent({
  name: 'settle.billing.statement.disputed',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'A partner disputed a reconciliation statement with a reason; settlement waits for a new revision.',
  schema: z.object({ ...StatementFields, disputed_at: IsoDateTimeSchema, disputed_by: z.string().min(1), reason: z.string().min(1).max(1000) }).strict(),
});
