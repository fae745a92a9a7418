import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { ErrorCodes, IdSchema, NotFoundError, UsageRecordV1 } from '@settle/contracts';
import { Money } from '@settle/money';
import { describeZodError, parseInput } from '@settle/platform';
import { z } from 'zod';
import { UsageRecordRejectedError } from '../rating/rating.service';
import { UsageIngestService } from './usage-ingest.service';

export const MAX_BATCH_RECORDS = 1000;

const BatchBody = z.object({ records: z.array(z.unknown()).min(1).max(MAX_BATCH_RECORDS) }).strict();

/** Operator API of usage: batch backfill through the same pipeline as Kafka, and a record's state. */
@Controller('operator/billing/usage-records')
@RequireOperator()
export class UsageController {
  constructor(private readonly usage: UsageIngestService) {}

  /**
   * Backfill: each record is validated and ingested on its own (one bad record does not stop the
   * others); 200 with `error_details[]` for the refused ones, as the partner API's batch calls do.
   */
  @Post('batch')
  @HttpCode(200)
  async batch(@Body() body: unknown) {
    const { records } = parseInput(BatchBody, body);
    const error_details: { index: number; record_id: string | null; error_code: string; error_msg: string }[] = [];
    const counts = { rated: 0, unattributed: 0, duplicate: 0 };
    for (const [index, raw] of records.entries()) {
      const recordId = typeof (raw as { record_id?: unknown })?.record_id === 'string' ? ((raw as { record_id: string }).record_id) : null;
      const parsed = UsageRecordV1.schema.safeParse(raw);
      if (!parsed.success) {
        error_details.push({ index, record_id: recordId, error_code: ErrorCodes.BadParameter, error_msg: describeZodError(parsed.error) });
        continue;
      }
      try {
        counts[await this.usage.ingestOne(parsed.data)] += 1;
      } catch (error) {
        if (!(error instanceof UsageRecordRejectedError)) throw error;
        error_details.push({ index, record_id: recordId, error_code: ErrorCodes.BadParameter, error_msg: error.message });
      }
    }
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
