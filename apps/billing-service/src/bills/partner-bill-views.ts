import { ApiAmount, ApiCurrency, ApiTimestamp, ApiTotalCount, BillCycleSchema, IdSchema } from '@settle/contracts';
import { Decimal, Money } from '@settle/money';
import { z } from 'zod';

/**
 * The customer bill functions of the partner API as the provider's SDK models spell them
 * (ListSubcustomerMonthlyBills → BillSumInfoV2, ListSubCustomerBillDetail → SubCustomerMonthlyBillDetail).
 * Amounts are decimal strings: exact, and the SDK's BigDecimal fields read them as they are.
 */

const amount = (minor: string, currency: string) => Money.fromMinor(minor, currency).toString();
const CHARGE_MODE_CODES: Record<string, string> = { 'yearly-monthly': '1', 'on-demand': '3' };

/** bill_detail_type of a line by its bill_type code: 5 consumption (usage), 4 refund, 9 adjustment. */
const BILL_DETAIL_TYPES: Record<string, number> = { '0': 5, '1': 4, '2': 9 };
const BILL_TYPES_BY_DETAIL: Record<string, '0' | '1' | '2'> = { '5': '0', '4': '1', '9': '2' };

/** The public API's times: UTC to the second, "2020-11-17T06:43:38Z". */
const utcSeconds = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * ListSubCustomerBillDetail's parameters (bill_cycle, service_type_code, region_code, charging_mode,
 * bill_detail_type, trade_id, association_type), read into the filter the query runs. The names
 * Settle took before (cycle, cloud_service_type, region, charge_mode, bill_type) are still read.
 */
export const FeeRecordsQuery = z
  .object({
    bill_cycle: BillCycleSchema.optional(),
    cycle: BillCycleSchema.optional(),
    customer_id: IdSchema,
    service_type_code: z.string().min(1).max(256).optional(),
    cloud_service_type: z.string().min(1).max(256).optional(),
    region_code: z.string().min(1).max(64).optional(),
    region: z.string().min(1).max(64).optional(),
    charging_mode: z.enum(['1', '3']).optional(),
    charge_mode: z.enum(['1', '3']).optional(),
    bill_detail_type: z.enum(['4', '5', '9']).optional(),
    bill_type: z.enum(['0', '1', '2']).optional(),
    resource_id: z.string().min(1).max(256).optional(),
    trade_id: z.string().min(1).max(128).optional(),
    association_type: z.enum(['1', '2']).optional(),
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(10),
  })
  .strict()
  .refine((q) => q.bill_cycle ?? q.cycle, { message: 'is required', path: ['bill_cycle'] })
  .transform((q) => ({
    cycle: (q.bill_cycle ?? q.cycle) as string,
    customer_id: q.customer_id,
    cloud_service_type: q.service_type_code ?? q.cloud_service_type,
    region: q.region_code ?? q.region,
    charge_mode: q.charging_mode ?? q.charge_mode,
    bill_type: q.bill_detail_type ? BILL_TYPES_BY_DETAIL[q.bill_detail_type] : q.bill_type,
    resource_id: q.resource_id,
    trade_id: q.trade_id,
    association_type: q.association_type === undefined ? undefined : Number(q.association_type),
    offset: q.offset,
    limit: q.limit,
  }));

/** One rated line as the fee-record query selects it (`SELECT *, … AS bill_type FROM rated_lines`). */
export type RatedLineRow = Record<string, string & Date>;

/** ListSubCustomerBillDetailResponse as feeRecordsView writes it. */
export const FeeRecordsResponse = z.object({
  total_count: ApiTotalCount,
  currency: ApiCurrency.nullable().describe('The currency of the first record of the page; null when there is none'),
  fee_records: z.array(
    z.object({
      id: z.string().describe('Settle\'s id of the bill line'),
      bill_cycle: z.string().describe('YYYY-MM'),
      customer_id: z.string(),
      partner_id: z.string(),
      association_type: z.enum(['1', '2']).describe('1 consultant sale, 2 agency sale'),
      service_type_code: z.string(),
      resource_type_code: z.string(),
      region_code: z.string(),
      resource_id: z.string(),
      charging_mode: z.union([z.literal(1), z.literal(3)]).describe('1 yearly/monthly, 3 on-demand'),
      bill_detail_type: z.union([z.literal(4), z.literal(5), z.literal(9)]).describe('5 consumption, 4 refund, 9 adjustment'),
      trade_id: z.string().describe('The usage record of the line'),
      trade_time: ApiTimestamp.describe('When the usage occurred (UTC, to the second)'),
      consume_time: ApiTimestamp.describe('The same as trade_time'),
      usage_amount: z.string().describe('The used quantity as decimal text, in usage_measure_id'),
      usage_measure_id: z.number().int().describe('A catalog unit of measure (GET /v2/bases/measurements)'),
      official_amount: ApiAmount,
      official_discount_amount: ApiAmount,
      payment_amount: ApiAmount.describe('What the line costs: official_amount less official_discount_amount'),
      measure_id: z.literal(1).describe('1: amounts in the currency\'s main unit'),
      line_type: z.enum(['usage', 'correction-adjustment']).describe('Not in the public API: correction-adjustment is a correction of a closed cycle\'s record'),
      references_record_id: z.string().nullable().describe('Not in the public API: the record a correction-adjustment corrects'),
    }),
  ),
});

/** SubCustomerMonthlyBillDetail, plus Settle's line kind and the record a correction refers to. */
export function feeRecordsView(total: number, rows: RatedLineRow[]) {
  return {
    total_count: total,
    currency: rows[0]?.currency ?? null,
    fee_records: rows.map((r) => ({
      id: r.id,
      bill_cycle: r.bill_cycle,
      customer_id: r.customer_id,
      partner_id: r.partner_id,
      association_type: String(r.association_type),
      service_type_code: r.service_type_code,
      resource_type_code: r.resource_type_code,
      region_code: r.region_code,
      resource_id: r.resource_id,
      charging_mode: Number(CHARGE_MODE_CODES[r.charge_mode] ?? 0),
      bill_detail_type: BILL_DETAIL_TYPES[r.bill_type],
      trade_id: r.record_id,
      trade_time: utcSeconds(r.occurred_at),
      consume_time: utcSeconds(r.occurred_at),
      usage_amount: Decimal.of(r.usage).normalize().toString(),
      usage_measure_id: Number(r.usage_measure_id),
      official_amount: amount(r.official_amount_minor, r.currency),
      official_discount_amount: amount(r.discount_amount_minor, r.currency),
      payment_amount: amount(r.rated_amount_minor, r.currency),
      measure_id: 1,
      line_type: r.line_type,
      references_record_id: r.references_record_id,
    })),
  };
}

/** One group of the monthly-sum query (customer_id, service_type_code, charge_mode, bill_type, currency, official, discount, rated). */
export type MonthlySumRow = Record<string, string>;

/** ListSubcustomerMonthlyBillsResponse as monthlySumsView writes it. */
export const MonthlySumsResponse = z.object({
  count: ApiTotalCount,
  currency: ApiCurrency.nullable().describe('The currency of the first sum of the page; null when there is none'),
  bill_sums: z.array(
    z.object({
      customer_id: z.string(),
      cloud_service_type: z.string(),
      charge_mode: z.enum(['1', '3']).describe('1 yearly/monthly, 3 on-demand'),
      bill_type: z.enum(['0', '1', '2']).describe('0 consumption, 1 refund, 2 adjustment'),
      amount: ApiAmount.describe('What the customer\'s lines cost (after the partner discount)'),
      discount_amount: ApiAmount,
      measure_id: z.literal(1).describe('1: amounts in the currency\'s main unit'),
      cycle: z.string().describe('Not in the public API: the cycle (YYYY-MM)'),
      official_amount: ApiAmount.describe('Not in the public API: the list amount'),
      line_currency: ApiCurrency.describe('Not in the public API: the sum\'s own currency'),
    }),
  ),
});

/** ListSubcustomerMonthlyBillsResponse: the total is `count`, each sum's `amount`, the currency at the top. */
export function monthlySumsView(cycle: string, total: number, rows: MonthlySumRow[]) {
  return {
    count: total,
    currency: rows[0]?.currency ?? null,
    bill_sums: rows.map((r) => ({
      customer_id: r.customer_id,
      cloud_service_type: r.service_type_code,
      charge_mode: CHARGE_MODE_CODES[r.charge_mode] ?? r.charge_mode,
      bill_type: r.bill_type,
      amount: amount(r.rated, r.currency),
      discount_amount: amount(r.discount, r.currency),
      measure_id: 1,
      /** Not in the public API: the cycle, the official (list) amount and the sum's own currency. */
      cycle,
      official_amount: amount(r.official, r.currency),
      line_currency: r.currency,
    })),
  };
}
