import { ConsumptionSummaryV1, IncentiveNoticeIssuedV1 } from '@settle/contracts';
import { randomUUID } from 'node:crypto';
import { waitFor } from '@settle/testing';
import { IncentiveStack, startIncentiveStack, usageRecord } from '../testing/incentive-stack';

/**
 * Notices on the real stack: billing's final bills → accruals → a run of the period on BullMQ →
 * one notice per partner and period with its lines; a re-run writes nothing; a correction after
 * the notice becomes an adjustment line of the next notice, traceable; partners see only theirs.
 */
let stack: IncentiveStack;
beforeAll(async () => {
  stack = await startIncentiveStack();
}, 240_000);
afterAll(() => stack?.close(), 60_000);

async function runPeriod(period: string) {
  const started = await stack.operator('POST', '/operator/incentives/notice-runs', { body: { period } });
  expect(started.status).toBe(202);
  return waitFor(async () => {
    const res = await stack.operator('GET', `/operator/incentives/notice-runs/${started.body.run_id}`);
    return res.body.status === 'running' ? undefined : res.body;
  }, `notice run of ${period}`, { timeoutMs: 30_000 });
}

describe('incentive notices', () => {
  it('are issued once per partner and period from billing’s final bills, and a later correction becomes a traceable adjustment line', async () => {
    const code = `NOTICE-${Date.now().toString(36)}`;
    await stack.createPolicy({
      code,
      name: 'Tiered consultant-sale incentive',
      partner_kinds: ['reseller'],
      service_type_codes: ['hws.service.type.ec2', 'hws.service.type.obs'],
      rate: { type: 'tiered', tiers: [{ up_to: '1000.00', rate: '0.02' }, { up_to: null, rate: '0.05' }] },
      effective_from: '2025-01',
    });
    const partner = await stack.createPartner({ kind: 'reseller' });
    const other = await stack.createPartner({ kind: 'reseller' });
    await stack.knowsPartner(partner.partner_id);
    const c1 = await stack.associate(partner.partner_id);
    const c2 = await stack.associate(partner.partner_id);
    const c3 = await stack.associate(other.partner_id);
    const feb = { occurred_at: '2025-02-10T00:00:00.000Z', bill_cycle: '2025-02' };
    const big = usageRecord(c1, { ...feb, official_amount: '1200.00' });
    await stack.ingest([
      big,
      usageRecord(c2, { ...feb, service_type_code: 'hws.service.type.obs', resource_type_code: 'hws.resource.type.obs', official_amount: '300.00' }),
      usageRecord(c3, { ...feb, official_amount: '10.00' }),
    ]);
    await stack.finalizeCycle('2025-02');
    await stack.accrued(partner.partner_id, 2);

    expect(await runPeriod('2025-02')).toMatchObject({ status: 'completed', partners_total: 2, partners_done: 2, progress: 100 });
    const call = stack.partner(partner);
    const list = await call('GET', '/v2/incentives/notices', { query: { period: '2025-02' } });
    expect(list.body).toMatchObject({ total_count: 1, notices: [expect.objectContaining({ period: '2025-02', currency: 'CNY', status: 'issued' })] });
    const noticeId = list.body.notices[0].notice_id;
    // 1,500.00 eligible: 1,000 × 2 % + 500 × 5 % = 45.00; ec2 1,200 / obs 300 → 36.00 / 9.00
    const feb2 = await call('GET', `/v2/incentives/notices/${noticeId}`);
    expect(feb2.body).toMatchObject({ total_amount: '45.00', earned_line_count: 2, adjustment_line_count: 0, invoice: { gross_amount: '45.00', net_amount: '42.45', tax_amount: '2.55', tax_rate: '0.06', taxpayer_type: 'general' } });
    expect(feb2.body.lines.map((l: Record<string, unknown>) => [l.line_type, l.period, l.incentive_policy, l.service_type_code, l.eligible_amount, l.incentive_amount])).toEqual([
      ['earned', '2025-02', code, 'hws.service.type.ec2', '1200.00', '36.00'],
      ['earned', '2025-02', code, 'hws.service.type.obs', '300.00', '9.00'],
    ]);
    await stack.waitForEvent(IncentiveNoticeIssuedV1, (d) => (d as { notice_id: string }).notice_id === noticeId);

    // Another partner's notice is not there for this partner.
    const theirs = (await stack.partner(other)('GET', '/v2/incentives/notices', {})).body.notices[0].notice_id;
    expect(await call('GET', `/v2/incentives/notices/${theirs}`)).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });

    // A re-run of the period finds the notices issued: nothing new.
    await runPeriod('2025-02');
    expect((await stack.operator('GET', '/operator/incentives/notices', { query: { partner_id: partner.partner_id } })).body.total_count).toBe(1);

    // March: a correction of February after close (1,200 → 700) and new usage.
    await stack.ingest([
      usageRecord(c1, { occurred_at: '2025-03-02T00:00:00.000Z', bill_cycle: '2025-03', record_type: 'correction', corrects_record_id: big.record_id, official_amount: '700.00' }),
      usageRecord(c2, { occurred_at: '2025-03-05T00:00:00.000Z', bill_cycle: '2025-03', official_amount: '100.00' }),
    ]);
    await stack.finalizeCycle('2025-03');
    await stack.accrued(partner.partner_id, 4);
    await runPeriod('2025-03');
    const march = (await call('GET', '/v2/incentives/notices', { query: { period: '2025-03' } })).body.notices[0];
    const detail = (await call('GET', `/v2/incentives/notices/${march.notice_id}`)).body;
    // March: 100.00 × 2 % = 2.00. February again with 1,000.00: 20.00 instead of 45.00 → −25.00 (ec2 line: −500.00 eligible)
    expect(detail.lines.map((l: Record<string, unknown>) => [l.line_type, l.period, l.service_type_code, l.eligible_amount, l.incentive_amount])).toEqual([
      ['earned', '2025-03', 'hws.service.type.ec2', '100.00', '2.00'],
      ['adjustment', '2025-02', 'hws.service.type.ec2', '-500.00', '-22.00'],
      ['adjustment', '2025-02', 'hws.service.type.obs', '0.00', '-3.00'],
    ]);
    expect(detail.lines[1].source_refs).toEqual([expect.stringMatching(/^adjustment:/)]);
    expect(detail).toMatchObject({ total_amount: '-23.00', invoice: null });
    // The February notice did not change.
    expect((await call('GET', `/v2/incentives/notices/${noticeId}`)).body).toMatchObject({ total_amount: '45.00', lines: feb2.body.lines });

    // A final February bill that reaches incentive after February's notice (as billing would publish
    // it for a bill finalized late): a re-run of February completes without a second notice; the
    // next notice carries it as an adjustment of February.
    const lateBill = randomUUID();
    await stack.publish(
      ConsumptionSummaryV1,
      {
        bill_id: lateBill,
        bill_revision: 1,
        partner_id: partner.partner_id,
        bill_cycle: '2025-02',
        currency: 'CNY',
        part: 1,
        part_count: 1,
        items: [{ customer_id: c2, association_type: 1, service_type_code: 'hws.service.type.ec2', consumption_amount: '100.00', refund_amount: '0.00', eligible_amount: '100.00', line_count: 1 }],
        finalized_at: new Date().toISOString(),
      },
      { partitionKey: partner.partner_id },
    );
    await stack.accrued(partner.partner_id, 5);
    expect(await runPeriod('2025-02')).toMatchObject({ status: 'completed', partners_done: 1, partners_pending: 0 });
    expect((await call('GET', '/v2/incentives/notices', { query: { period: '2025-02' } })).body.total_count).toBe(1);
    await runPeriod('2025-04');
    const april = (await call('GET', '/v2/incentives/notices', { query: { period: '2025-04' } })).body.notices[0];
    const aprilDetail = (await call('GET', `/v2/incentives/notices/${april.notice_id}`)).body;
    // February with 1,100.00 (ec2 800, obs 300): 25.00 instead of 20.00, allocated 18.18 / 6.82.
    expect(aprilDetail.lines.map((l: Record<string, unknown>) => [l.line_type, l.period, l.service_type_code, l.eligible_amount, l.incentive_amount])).toEqual([
      ['adjustment', '2025-02', 'hws.service.type.ec2', '100.00', '4.18'],
      ['adjustment', '2025-02', 'hws.service.type.obs', '0.00', '0.82'],
      // March came out at −23.00: never paid, deducted here.
      ['carry-forward', '2025-03', null, '0.00', '-23.00'],
    ]);
    expect(aprilDetail.lines[0].source_refs).toEqual([expect.stringContaining(`bill:${lateBill}:`)]);
    expect(aprilDetail.lines[2]).toMatchObject({ source_refs: [`notice:${march.notice_id}`], carried_notice_id: march.notice_id, incentive_policy: null });
    expect(aprilDetail.total_amount).toBe('-18.00');
    expect((await call('GET', `/v2/incentives/notices/${march.notice_id}`)).body).toMatchObject({ status: 'carried', carried_into_notice_id: april.notice_id, total_amount: '-23.00' });
  });

  it('refuses runs that make no sense, in the API error shape', async () => {
    expect(await stack.operator('POST', '/operator/incentives/notice-runs', { body: { period: '2999-01' } })).toMatchObject({ status: 409, body: { error_code: 'CBC.0102' } });
    expect(await stack.operator('POST', '/operator/incentives/notice-runs', { body: { period: '2025-13' } })).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    expect(await stack.operator('GET', '/operator/incentives/notice-runs/00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404 });
    const partner = await stack.createPartner();
    expect(await stack.partner(partner)('GET', '/v2/incentives/notices/not-a-uuid')).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
  });
});
