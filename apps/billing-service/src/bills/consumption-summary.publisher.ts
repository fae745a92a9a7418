import { AssociationType, CONSUMPTION_SUMMARY_MAX_ITEMS, ConsumptionAdjustedV1, ConsumptionSummaryV1 } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { EntityManager } from 'typeorm';
import { RatedLinesReader } from '../rating/rated-lines.reader';
import { Bill } from './bill.entity';
import { consumptionOf } from './consumption-summary';

/**
 * Publishes what incentive-service earns on, for a bill that just became final, in the bill's
 * transaction (so the summary exists exactly when the final bill does): the consumption summary
 * in parts of at most 1,000 items, and one `consumption-adjusted` per correction adjustment the
 * bill carries. Returns the number of events appended.
 */
export async function publishConsumption(outbox: OutboxWriter, m: EntityManager, bill: Bill, finalizedAt: Date): Promise<number> {
  const rows = await RatedLinesReader.consumptionLines(m, bill.partnerId, bill.billCycle, bill.currency);
  const { items, adjustments } = consumptionOf(
    rows.map((r) => ({
      lineId: r.id,
      customerId: r.customer_id,
      associationType: Number(r.association_type),
      serviceTypeCode: r.service_type_code,
      lineType: r.line_type,
      recordType: r.record_type,
      recordId: r.record_id,
      referencesRecordId: r.references_record_id,
      usageCycle: r.usage_cycle,
      ratedAmountMinor: String(r.rated_amount_minor),
    })),
    bill.currency,
  );
  const at = finalizedAt.toISOString();
  const partCount = Math.ceil(items.length / CONSUMPTION_SUMMARY_MAX_ITEMS);
  for (let part = 0; part < partCount; part += 1) {
    const slice = items.slice(part * CONSUMPTION_SUMMARY_MAX_ITEMS, (part + 1) * CONSUMPTION_SUMMARY_MAX_ITEMS);
    await outbox.append(
      m,
      ConsumptionSummaryV1,
      {
        bill_id: bill.id,
        bill_revision: bill.revision,
        partner_id: bill.partnerId,
        bill_cycle: bill.billCycle,
        currency: bill.currency,
        part: part + 1,
        part_count: partCount,
        items: slice.map((i) => ({
          customer_id: i.customerId,
          association_type: i.associationType as AssociationType,
          service_type_code: i.serviceTypeCode,
          consumption_amount: i.consumption.toString(),
          refund_amount: i.refunds.toString(),
          eligible_amount: i.eligible.toString(),
          line_count: i.lineCount,
        })),
        finalized_at: at,
      },
      { partitionKey: bill.partnerId, subject: bill.id },
    );
  }
  for (const a of adjustments) {
    await outbox.append(
      m,
      ConsumptionAdjustedV1,
      {
        adjustment_id: a.adjustmentId,
        partner_id: bill.partnerId,
        customer_id: a.customerId,
        association_type: a.associationType as AssociationType,
        service_type_code: a.serviceTypeCode,
        usage_cycle: a.usageCycle,
        booked_cycle: bill.billCycle,
        bill_id: bill.id,
        bill_revision: bill.revision,
        correction_record_id: a.correctionRecordId,
        corrected_record_id: a.correctedRecordId,
        currency: bill.currency,
        eligible_delta: a.eligibleDelta.toString(),
        finalized_at: at,
      },
      { partitionKey: bill.partnerId, subject: a.adjustmentId },
    );
  }
  return partCount + adjustments.length;
}
