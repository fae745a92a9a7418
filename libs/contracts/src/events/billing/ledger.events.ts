import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';

/** A partner's cash balance fell below its alert threshold (once per crossing; re-armed when it recovers). */
export const BalanceAlertV1 = defineEvent({
  name: 'settle.billing.balance-alert',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'A partner’s cash balance crossed below its alert threshold.',
  schema: z
    .object({
      partner_id: IdSchema,
      currency: z.string().length(3),
      balance: AmountSchema,
      threshold: AmountSchema,
      entry_id: z.uuid(),
      crossed_at: IsoDateTimeSchema,
    })
    .strict(),
});

export const WithdrawalStatusSchema = z.enum(['applied', 'approved', 'rejected', 'paid']);

/** A withdrawal application changed status: applied (amount held), approved, rejected (hold released) or paid. */
export const WithdrawalStatusChangedV1 = defineEvent({
  name: 'settle.billing.withdrawal.status-changed',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'A partner’s withdrawal application was applied for, approved, rejected or paid.',
  schema: z
    .object({
      withdrawal_id: z.uuid(),
      partner_id: IdSchema,
      status: WithdrawalStatusSchema,
      amount: AmountSchema,
      currency: z.string().length(3),
      reason: z.string().max(1000).nullable(),
      entry_id: z.uuid().nullable(),
      changed_at: IsoDateTimeSchema,
      changed_by: z.string().min(1),
    })
    .strict(),
});
