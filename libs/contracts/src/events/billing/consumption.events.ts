import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, AssociationTypeSchema, CurrencySchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';
import { BillCycleSchema } from '../usage/usage-record.event';

/**
 * What a customer's consumption of one service type, in one association mode, was worth on a
 * final bill. `eligible_amount` is the basis incentives are earned on: the cash the lines bill
 * for consumption, less refunds (refund lines are negative); adjustments (调账) are not
 * consumption and are left out. Billing's lines carry no voucher or coupon payment, so nothing of
 * that kind is in these amounts to begin with.
 */
export const ConsumptionSummaryItemSchema = z
  .object({
    customer_id: IdSchema,
    association_type: AssociationTypeSchema,
    service_type_code: z.string().min(1).max(128),
    consumption_amount: AmountSchema,
    refund_amount: AmountSchema,
    eligible_amount: AmountSchema,
    line_count: z.number().int().min(1),
  })
  .strict();

/** At most this many items per event; a bill with more is published as several parts. */
export const CONSUMPTION_SUMMARY_MAX_ITEMS = 1000;

/**
 * A partner's final bill, per customer, association mode and service type: the eligible amount
 * incentives are earned on. Published with `settle.billing.bill.generated.v1`, in the same
 * transaction, in `part_count` parts of at most 1,000 items. A customer that changed partner
 * within the cycle appears in each partner's summary with the lines billing attributed to it.
 * Key: (bill_id, customer_id, association_type, service_type_code) is unique over all parts.
 */
export const ConsumptionSummaryV1 = defineEvent({
  name: 'settle.billing.consumption-summary',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'A final partner bill per customer, association mode and service type: the eligible (cash, less refunds) amount incentives are earned on.',
  schema: z
    .object({
      bill_id: z.uuid(),
      bill_revision: z.number().int().min(1),
      partner_id: IdSchema,
      bill_cycle: BillCycleSchema,
      currency: CurrencySchema,
      part: z.number().int().min(1),
      part_count: z.number().int().min(1),
      items: z.array(ConsumptionSummaryItemSchema).min(1).max(CONSUMPTION_SUMMARY_MAX_ITEMS),
      finalized_at: IsoDateTimeSchema,
    })
    .strict(),
});

/**
 * A correction or cancellation after its cycle had closed changed what a customer's consumption
 * of `usage_cycle` was worth: billing booked the difference as a correction adjustment in a later
 * cycle, and this is published when the bill carrying it becomes final (in its transaction).
 * `eligible_delta` is signed. `adjustment_id` (billing's line id) is unique per correction record;
 * `correction_record_id` and `corrected_record_id` trace it to the usage records.
 */
export const ConsumptionAdjustedV1 = defineEvent({
  name: 'settle.billing.consumption-adjusted',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'A correction after close changed the eligible amount of a customer, mode, service type and past cycle; published when the bill carrying it is final.',
  schema: z
    .object({
      adjustment_id: z.uuid(),
      partner_id: IdSchema,
      customer_id: IdSchema,
      association_type: AssociationTypeSchema,
      service_type_code: z.string().min(1).max(128),
      /** The cycle whose consumption changed. */
      usage_cycle: BillCycleSchema,
      /** The cycle (and final bill) the difference was booked in. */
      booked_cycle: BillCycleSchema,
      bill_id: z.uuid(),
      bill_revision: z.number().int().min(1),
      correction_record_id: IdSchema,
      corrected_record_id: IdSchema,
      currency: CurrencySchema,
      eligible_delta: AmountSchema,
      finalized_at: IsoDateTimeSchema,
    })
    .strict(),
});
