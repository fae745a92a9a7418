import { ConsumptionAdjustedV1, ConsumptionSummaryV1 } from '@settle/contracts';
import { waitFor } from '@settle/testing';
import { BillingStack, startBillingStack, usageRecord } from '../testing/billing-stack';

/**
 * What billing publishes for incentives, on the real stack: when a bill becomes final, its
 * consumption summary (per customer, mode, service type) in the bill's transaction; when a later
 * final bill carries a correction after close, the adjustment of the past cycle, traceable.
 */
let stack: BillingStack;
beforeAll(async () => {
  stack = await startBillingStack();
}, 180_000);
afterAll(() => stack?.close(), 60_000);

async function runFinal(cycle: string) {
  expect((await stack.operator('POST', `/operator/billing/cycles/${cycle}/close`)).status).toBe(200);
  const started = await stack.operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: cycle } });
  expect(started.status).toBe(202);
  await waitFor(async () => {
    const res = await stack.operator('GET', `/operator/billing/bill-runs/${started.body.run_id}`);
    return res.body.status === 'completed' ? res.body : undefined;
  }, `bill run of ${cycle}`, { timeoutMs: 30_000 });
}

type Summary = { bill_id: string; partner_id: string; bill_cycle: string; items: Record<string, unknown>[]; part: number; part_count: number };

describe('the consumption billing publishes for incentives', () => {
  it('summarizes each partner’s final bill per customer, mode and service type (a mid-cycle partner change split as billing attributed it), then the correction after close as an adjustment of its cycle', async () => {
    const a = await stack.createPartner();
    const b = await stack.createPartner();
    const customer = await stack.associate(a.partner_id, { associationType: 1, effectiveFrom: '2025-05-01T00:00:00Z' });
    await stack.owned(customer, a.partner_id, '2025-05-10T00:00:00Z');
    expect((await stack.operator('POST', '/operator/associations/end', { body: { customer_id: customer, effective_to: '2025-05-15T16:00:00Z', reason: 'moved' } })).status).toBe(200);
    expect((await stack.operator('POST', '/operator/associations', { body: { partner_id: b.partner_id, customer_id: customer, association_type: 1, effective_from: '2025-05-15T16:00:00Z' } })).status).toBe(201);
    await stack.owned(customer, b.partner_id, '2025-05-20T00:00:00Z');

    const may = (day: string) => ({ occurred_at: `2025-05-${day}T00:00:00.000Z`, bill_cycle: '2025-05' });
    const early = usageRecord(customer, { ...may('02'), official_amount: '200.00' });
    await stack.ingest([
      early,
      usageRecord(customer, { ...may('03'), record_type: 'refund', official_amount: '50.50' }),
      usageRecord(customer, { ...may('04'), record_type: 'adjustment', official_amount: '9.00' }),
      usageRecord(customer, { ...may('05'), service_type_code: 'hws.service.type.obs', resource_type_code: 'hws.resource.type.obs', official_amount: '3.33' }),
      usageRecord(customer, { ...may('20'), official_amount: '40.04' }),
    ]);
    await runFinal('2025-05');

    const ofA = (await stack.waitForEvent(ConsumptionSummaryV1, (d) => (d as Summary).partner_id === a.partner_id)).data as Summary;
    expect(ofA).toMatchObject({ bill_cycle: '2025-05', currency: 'CNY', part: 1, part_count: 1, bill_revision: 1 });
    expect(ofA.items).toEqual([
      { customer_id: customer, association_type: 1, service_type_code: 'hws.service.type.ec2', consumption_amount: '200.00', refund_amount: '-50.50', eligible_amount: '149.50', line_count: 2 },
      { customer_id: customer, association_type: 1, service_type_code: 'hws.service.type.obs', consumption_amount: '3.33', refund_amount: '0.00', eligible_amount: '3.33', line_count: 1 },
    ]);
    const ofB = (await stack.waitForEvent(ConsumptionSummaryV1, (d) => (d as Summary).partner_id === b.partner_id)).data as Summary;
    expect(ofB.items).toEqual([{ customer_id: customer, association_type: 1, service_type_code: 'hws.service.type.ec2', consumption_amount: '40.04', refund_amount: '0.00', eligible_amount: '40.04', line_count: 1 }]);
    // The summary goes out with the bill's own event, exactly once per bill.
    const bills = await stack.operator('GET', '/operator/billing/bills', { query: { partner_id: a.partner_id, bill_cycle: '2025-05' } });
    expect(ofA.bill_id).toBe(bills.body.bills[0].bill_id);

    // A correction of May after close: billing books −120.00 in June; published when June is final.
    const fix = usageRecord(customer, { occurred_at: '2025-06-02T00:00:00.000Z', bill_cycle: '2025-06', record_type: 'correction', corrects_record_id: early.record_id, official_amount: '80.00' });
    await stack.ingest([fix]);
    await runFinal('2025-06');
    const adjusted = await stack.waitForEvent(ConsumptionAdjustedV1, (d) => (d as { correction_record_id: string }).correction_record_id === fix.record_id);
    expect(adjusted.data).toMatchObject({
      partner_id: a.partner_id,
      customer_id: customer,
      association_type: 1,
      service_type_code: 'hws.service.type.ec2',
      usage_cycle: '2025-05',
      booked_cycle: '2025-06',
      corrected_record_id: early.record_id,
      currency: 'CNY',
      eligible_delta: '-120.00',
    });
    const june = await stack.operator('GET', '/operator/billing/bills', { query: { partner_id: a.partner_id, bill_cycle: '2025-06' } });
    expect(adjusted.data).toMatchObject({ bill_id: june.body.bills[0].bill_id });
    // June's summary of partner A has no usage items of its own (only the adjustment): none is published.
    expect(stack.events().filter((e) => e.type === ConsumptionSummaryV1.type && (e.data as Summary).partner_id === a.partner_id)).toHaveLength(1);
  });
});
