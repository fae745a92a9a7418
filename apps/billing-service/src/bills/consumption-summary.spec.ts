import { consumptionOf, ConsumptionLine } from './consumption-summary';

let n = 0;
function line(overrides: Partial<ConsumptionLine>): ConsumptionLine {
  n += 1;
  return {
    lineId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    customerId: 'c-1',
    associationType: 1,
    serviceTypeCode: 'hws.service.type.ec2',
    lineType: 'usage',
    recordType: 'consumption',
    recordId: `r-${n}`,
    referencesRecordId: null,
    usageCycle: '2025-06',
    ratedAmountMinor: '0',
    ...overrides,
  };
}

describe('the consumption summary of a final bill', () => {
  it('sums consumption less refunds per customer, mode and service type, and leaves adjustments out of the basis', () => {
    const { items, adjustments } = consumptionOf(
      [
        line({ ratedAmountMinor: '10000' }),
        line({ ratedAmountMinor: '2550' }),
        line({ recordType: 'refund', ratedAmountMinor: '-3000' }),
        line({ recordType: 'adjustment', ratedAmountMinor: '99999' }),
        line({ serviceTypeCode: 'hws.service.type.obs', ratedAmountMinor: '101' }),
        line({ customerId: 'c-0', associationType: 2, ratedAmountMinor: '700' }),
      ],
      'CNY',
    );
    expect(adjustments).toEqual([]);
    expect(items.map((i) => [i.customerId, i.associationType, i.serviceTypeCode, i.consumption.toString(), i.refunds.toString(), i.eligible.toString(), i.lineCount])).toEqual([
      ['c-0', 2, 'hws.service.type.ec2', '7.00', '0.00', '7.00', 1],
      ['c-1', 1, 'hws.service.type.ec2', '125.50', '-30.00', '95.50', 3],
      ['c-1', 1, 'hws.service.type.obs', '1.01', '0.00', '1.01', 1],
    ]);
  });

  it('reports a correction adjustment on its own, for its usage cycle, traceable to both records', () => {
    const adj = line({ lineType: 'correction-adjustment', recordId: 'rec-fix', referencesRecordId: 'rec-orig', usageCycle: '2025-05', ratedAmountMinor: '-3400' });
    const { items, adjustments } = consumptionOf([line({ ratedAmountMinor: '500' }), adj, line({ lineType: 'correction-adjustment', recordType: 'adjustment', ratedAmountMinor: '-1' })], 'CNY');
    expect(items.map((i) => i.eligible.toString())).toEqual(['5.00']);
    expect(adjustments).toEqual([
      expect.objectContaining({ adjustmentId: adj.lineId, usageCycle: '2025-05', correctionRecordId: 'rec-fix', correctedRecordId: 'rec-orig' }),
    ]);
    expect(adjustments[0].eligibleDelta.toString()).toBe('-34.00');
  });

  it('keeps a 0-decimal currency in whole units', () => {
    const { items } = consumptionOf([line({ ratedAmountMinor: '1234' }), line({ recordType: 'refund', ratedAmountMinor: '-34' })], 'JPY');
    expect(items[0].eligible.toString()).toBe('1200');
  });
});
