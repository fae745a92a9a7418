import { Decimal, isCurrency } from '@settle/money';
import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, CurrencySchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';
import { amountProblems } from '../money-rules';

/** Partner API `charge_mode`: on-demand (按需) or a yearly/monthly order (包年/包月). */
export const ChargeModeSchema = z.enum(['on-demand', 'yearly-monthly']);
export type ChargeMode = z.infer<typeof ChargeModeSchema>;

/**
 * What a usage record is:
 * - `consumption`: a charge (official_amount ≥ 0);
 * - `refund` (退订): money given back (official_amount ≥ 0, booked negative);
 * - `adjustment`: a signed amount taken as it is (no partner discount);
 * - `correction`: the corrected values of the record named by `corrects_record_id` (replaces it);
 * - `cancellation`: the record named by `corrects_record_id` is void (official_amount is ignored).
 */
export const UsageRecordTypeSchema = z.enum(['consumption', 'refund', 'adjustment', 'correction', 'cancellation']);
export type UsageRecordType = z.infer<typeof UsageRecordTypeSchema>;

/** YYYY-MM. */
export const BillCycleSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a billing cycle YYYY-MM');

/**
 * Billing cycles follow the provider's billing time zone, China Standard Time (UTC+08:00, no
 * daylight saving): a record that occurred at 2026-03-31T17:00:00Z belongs to cycle 2026-04.
 */
export const BILLING_UTC_OFFSET_MINUTES = 8 * 60;

/** The billing cycle (YYYY-MM) an instant belongs to. */
export function billCycleOf(at: Date): string {
  const shifted = new Date(at.getTime() + BILLING_UTC_OFFSET_MINUTES * 60_000);
  return `${shifted.getUTCFullYear().toString().padStart(4, '0')}-${(shifted.getUTCMonth() + 1).toString().padStart(2, '0')}`;
}

const CodeSchema = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:/-]+$/, 'must contain only letters, digits, ".", "_", ":", "/" or "-"');

const UsageRecordObject = z
  .object({
    /** The producer's id of the record: the idempotency key (a second record with it changes nothing). */
    record_id: IdSchema,
    customer_id: IdSchema,
    /** Cloud service type, e.g. `hws.service.type.ec2`. */
    service_type_code: CodeSchema,
    /** Resource type, e.g. `hws.resource.type.vm`. */
    resource_type_code: CodeSchema,
    resource_id: z.string().min(1).max(128),
    region_code: CodeSchema,
    /** The used quantity as a decimal string (never a float). */
    usage: z.string().regex(/^\d+(\.\d{1,12})?$/, 'must be a non-negative decimal string such as "3600" or "1.5"'),
    /** Unit of `usage`, a catalog unit of measure (GET /v2/bases/measurements: e.g. 4 hour, 10 GB). */
    usage_measure_id: z.number().int().min(1).max(1000),
    charge_mode: ChargeModeSchema,
    record_type: UsageRecordTypeSchema,
    /** List price of the record in `currency`, at most the currency's decimals. */
    official_amount: AmountSchema,
    currency: CurrencySchema,
    occurred_at: IsoDateTimeSchema,
    bill_cycle: BillCycleSchema,
    /** For `correction` and `cancellation`: the record corrected or cancelled. */
    corrects_record_id: IdSchema.nullable().optional(),
  })
  .strict();

/**
 * The business rules of a record that do not depend on any state: a record breaking one is
 * refused where it enters (dead-letter topic at once, or an `error_details` entry of a batch).
 */
export function usageRecordRuleViolations(r: z.infer<typeof UsageRecordObject>): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  for (const problem of amountProblems(r.official_amount, r.currency, { positive: false })) {
    problems.push({ path: problem.path === 'amount' ? 'official_amount' : 'currency', message: problem.message });
  }
  if (isCurrency(r.currency) && Decimal.of(r.official_amount).isNegative() && r.record_type !== 'adjustment') {
    problems.push({ path: 'official_amount', message: `must not be negative for a ${r.record_type} record (only adjustments are signed)` });
  }
  const cycle = billCycleOf(new Date(r.occurred_at));
  if (cycle !== r.bill_cycle) {
    problems.push({ path: 'bill_cycle', message: `${r.bill_cycle} does not match occurred_at ${r.occurred_at}, which is in cycle ${cycle} (UTC+08:00)` });
  }
  const needsOriginal = r.record_type === 'correction' || r.record_type === 'cancellation';
  if (needsOriginal && !r.corrects_record_id) {
    problems.push({ path: 'corrects_record_id', message: `is required for a ${r.record_type} record` });
  }
  if (!needsOriginal && r.corrects_record_id) {
    problems.push({ path: 'corrects_record_id', message: `is only allowed on correction and cancellation records` });
  }
  if (r.corrects_record_id && r.corrects_record_id === r.record_id) {
    problems.push({ path: 'corrects_record_id', message: 'must name another record' });
  }
  return problems;
}

/**
 * One usage / consumption record from a rating system (on-demand usage, a yearly/monthly order, a
 * refund, an adjustment, or a correction/cancellation of an earlier record). Key: customer id, so
 * one customer's records stay in order. Published by the provider's rating systems; billing-service
 * consumes them (and accepts the same records in batches over HTTP for backfill).
 */
export const UsageRecordV1 = defineEvent({
  name: 'settle.usage.record',
  version: 1,
  topic: Topics.UsageRecords,
  producer: 'billing-service',
  description:
    'A usage or consumption record (consumption, refund, adjustment, correction or cancellation of an earlier record) for one customer, resource and billing cycle. Produced by the rating systems; key = customer_id; record_id is the idempotency key.',
  schema: UsageRecordObject.superRefine((record, ctx) => {
    for (const problem of usageRecordRuleViolations(record)) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
  }),
});

export type UsageRecordData = z.infer<typeof UsageRecordV1.schema>;
