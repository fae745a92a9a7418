import { Money } from '@settle/money';

/** What the consumption summary needs of a bill line (a rated line), amounts in minor units. */
export interface ConsumptionLine {
  lineId: string;
  customerId: string;
  associationType: number;
  serviceTypeCode: string;
  /** usage | correction-adjustment */
  lineType: string;
  /** consumption | refund | adjustment (a correction-adjustment carries its original's kind) */
  recordType: string;
  recordId: string;
  referencesRecordId: string | null;
  usageCycle: string;
  ratedAmountMinor: string;
}

export interface ConsumptionItem {
  customerId: string;
  associationType: number;
  serviceTypeCode: string;
  consumption: Money;
  refunds: Money;
  /** consumption + refunds (refunds are negative). */
  eligible: Money;
  lineCount: number;
}

export interface ConsumptionAdjustment {
  /** The correction-adjustment line. */
  adjustmentId: string;
  customerId: string;
  associationType: number;
  serviceTypeCode: string;
  usageCycle: string;
  correctionRecordId: string;
  correctedRecordId: string;
  eligibleDelta: Money;
}

export interface Consumption {
  items: ConsumptionItem[];
  adjustments: ConsumptionAdjustment[];
}

/** Whether a line of this kind counts towards the incentive basis: consumption and refunds do, adjustments (调账) do not. */
const eligibleKind = (recordType: string) => recordType === 'consumption' || recordType === 'refund';

/**
 * The incentive basis of a final bill, from its lines (pure). Usage lines (a late record of a
 * closed cycle included: billing booked it in this bill) are summed per customer, association
 * mode and service type; a correction adjustment is not part of this cycle's consumption but a
 * change of its usage cycle's, so it is reported on its own, traceable to its records. No
 * rounding happens here: rated lines are already in minor units and are only added up.
 */
export function consumptionOf(lines: readonly ConsumptionLine[], currency: string): Consumption {
  const zero = Money.zero(currency);
  const items = new Map<string, ConsumptionItem>();
  const adjustments: ConsumptionAdjustment[] = [];
  for (const line of lines) {
    if (!eligibleKind(line.recordType)) continue;
    const amount = Money.fromMinor(line.ratedAmountMinor, currency);
    if (line.lineType === 'correction-adjustment') {
      adjustments.push({
        adjustmentId: line.lineId,
        customerId: line.customerId,
        associationType: line.associationType,
        serviceTypeCode: line.serviceTypeCode,
        usageCycle: line.usageCycle,
        correctionRecordId: line.recordId,
        correctedRecordId: line.referencesRecordId ?? line.recordId,
        eligibleDelta: amount,
      });
      continue;
    }
    const key = `${line.customerId}\u0000${line.associationType}\u0000${line.serviceTypeCode}`;
    const item = items.get(key) ?? { customerId: line.customerId, associationType: line.associationType, serviceTypeCode: line.serviceTypeCode, consumption: zero, refunds: zero, eligible: zero, lineCount: 0 };
    items.set(key, {
      ...item,
      consumption: line.recordType === 'consumption' ? item.consumption.plus(amount) : item.consumption,
      refunds: line.recordType === 'refund' ? item.refunds.plus(amount) : item.refunds,
      eligible: item.eligible.plus(amount),
      lineCount: item.lineCount + 1,
    });
  }
  const sorted = [...items.values()].sort(
    (a, b) => a.customerId.localeCompare(b.customerId) || a.associationType - b.associationType || a.serviceTypeCode.localeCompare(b.serviceTypeCode),
  );
  adjustments.sort((a, b) => a.adjustmentId.localeCompare(b.adjustmentId));
  return { items: sorted, adjustments };
}
