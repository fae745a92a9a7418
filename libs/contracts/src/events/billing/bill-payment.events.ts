import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, CurrencySchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';
import { positiveAmountRule } from '../money-rules';
import { BillCycleSchema } from '../usage/usage-record.event';

/**
 * A partner paid (part of) a bill: money the platform received against a partner bill, the basis
 * of the invoices a partner may request for its bills (invoice-service: invoiceable = paid minus
 * already invoiced). `payment_id` identifies the payment: it counts once however often this is
 * delivered or re-published under a new event id.
 *
 * Defined by invoice-service's issue (11) because billing-service publishes nothing about payments
 * today (`settle.billing.bill.generated.v1` says what is owed, not what was paid); billing-service
 * is its producer once it records bill payments. Until then only tests and operators' tools emit it.
 */
export const BillPaymentReceivedV1 = defineEvent({
  name: 'settle.billing.bill-payment.received',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'The platform received a payment of a partner against one of its bills (the basis of bill invoices).',
  schema: z
    .object({
      payment_id: IdSchema,
      partner_id: IdSchema,
      /** The bill paid (settle.billing.bill.generated.v1 `bill_id`), when the payment is against one. */
      bill_id: z.uuid().optional(),
      bill_cycle: BillCycleSchema.optional(),
      amount: AmountSchema,
      currency: CurrencySchema,
      paid_at: IsoDateTimeSchema,
    })
    .strict()
    .superRefine(positiveAmountRule('amount', 'currency')),
});
