import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { ApiAmount, ApiCurrency, ApiTimestamp, ErrorCodes, IdSchema, NotFoundError, UsageRecordData, UsageRecordTypeSchema, UsageRecordV1 } from '@settle/contracts';
import { Money } from '@settle/money';
import { ApiRoute, ValidBody, ValidParams, describeZodError } from '@settle/platform';
import { z } from 'zod';
import { UsageIngestService } from './usage-ingest.service';

export const MAX_BATCH_RECORDS = 1000;

const BatchBody = z
  .object({
    records: z
      .array(z.unknown())
      .min(1)
      .max(MAX_BATCH_RECORDS)
      .describe('Usage records as the usage-record event carries them (record_id, customer_id, service_type_code, …); each is validated on its own and a refused one is answered in error_details'),
  })
  .strict();
const RecordParams = z.object({ record_id: IdSchema }).strict();

const BatchResponse = z.object({
  total_count: z.number().int().describe('Records in the batch'),
  success_count: z.number().int().describe('Records accepted (rated, unattributed or duplicate)'),
  rated_count: z.number().int().describe('Records attributed to a partner and booked'),
  unattributed_count: z.number().int().describe('Records stored, waiting for the customer\'s owner (or a correction\'s original) to be known'),
  duplicate_count: z.number().int().describe('Records whose record_id billing had already received (nothing changed)'),
  error_details: z.array(
    z.object({
      index: z.number().int().describe('The record\'s position in records, from 0'),
      record_id: z.string().nullable(),
      error_code: z.literal(ErrorCodes.BadParameter),
      error_msg: z.string(),
    }),
  ),
});
const UsageRecordResponse = z.object({
  record_id: z.string(),
  customer_id: z.string(),
  record_type: UsageRecordTypeSchema,
  corrects_record_id: z.string().nullable(),
  service_type_code: z.string(),
  official_amount: ApiAmount,
  currency: ApiCurrency,
  occurred_at: ApiTimestamp,
  bill_cycle: z.string().describe('YYYY-MM'),
  status: z.enum(['unattributed', 'rated']).describe('rated: attributed to a partner and booked; unattributed: waiting for its owner or its original'),
  partner_id: z.string().nullable(),
  association_type: z.union([z.literal(1), z.literal(2)]).nullable().describe('1 consultant sale, 2 agency sale; null until attributed'),
  source: z.enum(['kafka', 'http']).describe('How billing received it: the usage topic or this backfill API'),
  received_at: ApiTimestamp,
  rated_at: ApiTimestamp.nullable(),
});

/** Operator API of usage: batch backfill through the same pipeline as Kafka, and a record's state. */
@Controller('operator/billing/usage-records')
@RequireOperator()
export class UsageController {
  constructor(private readonly usage: UsageIngestService) {}

  /**
   * Backfill: each record is validated on its own, the valid ones are ingested as one batch (one
   * bad record does not stop the others); 200 with `error_details[]` for the refused ones, as the
   * partner API's batch calls do.
   */
  @Post('batch')
  @HttpCode(200)
  @ApiRoute({ summary: 'Backfills usage records through the same pipeline as the usage topic (200 with error_details for the refused ones)', response: BatchResponse })
  async batch(@ValidBody(BatchBody) { records }: z.infer<typeof BatchBody>) {
    const error_details: { index: number; record_id: string | null; error_code: string; error_msg: string }[] = [];
    const counts = { rated: 0, unattributed: 0, duplicate: 0 };
    const valid: { index: number; data: UsageRecordData }[] = [];
    for (const [index, raw] of records.entries()) {
      const parsed = UsageRecordV1.schema.safeParse(raw);
      if (parsed.success) valid.push({ index, data: parsed.data });
      else error_details.push({ index, record_id: recordIdOf(raw), error_code: ErrorCodes.BadParameter, error_msg: describeZodError(parsed.error) });
    }
    const outcomes = valid.length ? await this.usage.ingestHttpBatch(valid.map((v) => v.data)) : [];
    outcomes.forEach((outcome, i) => {
      if (typeof outcome === 'string') counts[outcome] += 1;
      else error_details.push({ index: valid[i].index, record_id: valid[i].data.record_id, error_code: ErrorCodes.BadParameter, error_msg: outcome.rejected });
    });
    error_details.sort((a, b) => a.index - b.index);
    return {
      total_count: records.length,
      success_count: records.length - error_details.length,
      rated_count: counts.rated,
      unattributed_count: counts.unattributed,
      duplicate_count: counts.duplicate,
      error_details,
    };
  }

  @Get(':record_id')
  @ApiRoute({ summary: 'A usage record as billing received it, and its state', response: UsageRecordResponse })
  async get(@ValidParams(RecordParams) { record_id: recordId }: z.infer<typeof RecordParams>) {
    const r = await this.usage.record(recordId);
    if (!r) throw new NotFoundError(`Usage record ${recordId} was not received.`);
    return {
      record_id: r.recordId,
      customer_id: r.customerId,
      record_type: r.recordType,
      corrects_record_id: r.correctsRecordId,
      service_type_code: r.serviceTypeCode,
      official_amount: Money.fromMinor(r.officialAmountMinor, r.currency).toString(),
      currency: r.currency,
      occurred_at: r.occurredAt.toISOString(),
      bill_cycle: r.billCycle,
      status: r.status,
      partner_id: r.partnerId,
      association_type: r.associationType,
      source: r.source,
      received_at: r.receivedAt.toISOString(),
      rated_at: r.ratedAt?.toISOString() ?? null,
    };
  }
}

function recordIdOf(raw: unknown): string | null {
  const id = (raw as { record_id?: unknown } | null)?.record_id;
  return typeof id === 'string' ? id : null;
}
