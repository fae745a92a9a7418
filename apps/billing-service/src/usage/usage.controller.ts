import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { ErrorCodes, IdSchema, NotFoundError, UsageRecordData, UsageRecordV1 } from '@settle/contracts';
import { Money } from '@settle/money';
import { describeZodError, parseInput } from '@settle/platform';
import { z } from 'zod';
import { UsageIngestService } from './usage-ingest.service';

export const MAX_BATCH_RECORDS = 1000;

const BatchBody = z.object({ records: z.array(z.unknown()).min(1).max(MAX_BATCH_RECORDS) }).strict();

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
  async batch(@Body() body: unknown) {
    const { records } = parseInput(BatchBody, body);
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
  async get(@Param('record_id') recordIdParam: string) {
    const recordId = parseInput(IdSchema, recordIdParam);
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
