import { BillGeneratedV1 } from '@settle/contracts';
import { waitFor } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { BillingStack, startBillingStack, usageRecord } from '../testing/billing-stack';
import { BillsService } from './bills.service';

/**
 * Bill generation and the partner bill APIs on the real stack: runs on BullMQ, drafts regenerated in
 * place with revisions, final bills once the cycle closed (published once), the public-API views.
 */
let stack: BillingStack;
beforeAll(async () => {
  stack = await startBillingStack();
}, 180_000);
afterAll(() => stack?.close(), 60_000);

async function partnerWithCustomer(cycleStart: string) {
  const partner = await stack.createPartner();
  const customer = await stack.associate(partner.partner_id, { effectiveFrom: '2024-01-01T00:00:00.000Z' });
  await stack.owned(customer, partner.partner_id, cycleStart);
  return { partner, customer };
}

async function run(cycle: string) {
  const started = await stack.operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: cycle } });
  expect(started.status).toBe(202);
  return waitFor(async () => {
    const res = await stack.operator('GET', `/operator/billing/bill-runs/${started.body.run_id}`);
    return res.body.status === 'running' ? undefined : res.body;
  }, `bill run ${started.body.run_id} to complete`, { timeoutMs: 30_000 });
}

async function billsOf(partnerId: string, cycle: string) {
  const res = await stack.operator('GET', '/operator/billing/bills', { query: { partner_id: partnerId, bill_cycle: cycle } });
  expect(res.status).toBe(200);
  return res.body.bills as Record<string, unknown>[];
}

describe('bill generation', () => {
  it('regenerates a draft in place (same id, a revision per change), then finalizes it once the cycle closed and publishes it once', async () => {
    const { partner, customer } = await partnerWithCustomer('2025-06-05T00:00:00.000Z');
    const at = { occurred_at: '2025-06-05T00:00:00.000Z', bill_cycle: '2025-06' };
    await stack.ingest([usageRecord(customer, { ...at, official_amount: '100.00' }), usageRecord(customer, { ...at, record_type: 'refund', official_amount: '30.00' })]);

    expect(await run('2025-06')).toMatchObject({ status: 'completed', finalize: false, partners_done: expect.any(Number), partners_failed: 0, progress: 100 });
    const [draft] = await billsOf(partner.partner_id, '2025-06');
    // 100.00 − 30.00 = 70.00 (no discount); VAT 6 % inside: net 66.04, tax 3.96
    expect(draft).toMatchObject({ status: 'draft', revision: 1, consume_amount: '100.00', refunds: '-30.00', adjustments: '0.00', amount_due: '70.00', tax_amount: '3.96', line_count: 2, customer_count: 1 });

    await stack.ingest([usageRecord(customer, { ...at, official_amount: '5.55' })]);
    await run('2025-06');
    const [regenerated] = await billsOf(partner.partner_id, '2025-06');
    expect(regenerated).toMatchObject({ bill_id: draft.bill_id, status: 'draft', revision: 2, amount_due: '75.55', line_count: 3 });
    await run('2025-06'); // nothing changed: no new revision
    expect((await billsOf(partner.partner_id, '2025-06'))[0]).toMatchObject({ bill_id: draft.bill_id, revision: 2 });
    expect(stack.events().filter((e) => e.type === BillGeneratedV1.type && e.subject === draft.bill_id)).toEqual([]);

    expect((await stack.operator('POST', '/operator/billing/cycles/2025-06/close')).status).toBe(200);
    expect(await run('2025-06')).toMatchObject({ status: 'completed', finalize: true });
    const [final] = await billsOf(partner.partner_id, '2025-06');
    expect(final).toMatchObject({ bill_id: draft.bill_id, status: 'final', revision: 3, amount_due: '75.55', finalized_time: expect.any(String) });
    const published = await stack.waitForEvent(BillGeneratedV1, (d) => (d as { bill_id: string }).bill_id === draft.bill_id);
    expect(published.data).toMatchObject({ partner_id: partner.partner_id, bill_cycle: '2025-06', currency: 'CNY', revision: 3, consume_amount: '105.55', refunds: '-30.00', amount_due: '75.55', tax_amount: '4.28', line_count: 3, customer_count: 1 });

    // A later record of June lands in July (the cycle is closed); re-running June changes nothing.
    await stack.ingest([usageRecord(customer, { ...at, official_amount: '1.00' })]);
    await run('2025-06');
    const detail = await stack.operator('GET', `/operator/billing/bills/${draft.bill_id}`);
    expect(detail.body).toMatchObject({ status: 'final', revision: 3, amount_due: '75.55' });
    expect(detail.body.revisions.map((r: { revision: number; status: string; amount_due: string }) => [r.revision, r.status, r.amount_due])).toEqual([
      [1, 'draft', '70.00'],
      [2, 'draft', '75.55'],
      [3, 'final', '75.55'],
    ]);
    expect(detail.body.items).toEqual([expect.objectContaining({ customer_id: customer, service_type_code: 'hws.service.type.ec2', amount_due: '75.55' })]);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(stack.events().filter((e) => e.type === BillGeneratedV1.type && e.subject === draft.bill_id)).toHaveLength(1);
    const [july] = await (async () => {
      await run('2025-07');
      return billsOf(partner.partner_id, '2025-07');
    })();
    expect(july).toMatchObject({ status: 'draft', amount_due: '1.00' });

    // "Export bill (PDF)" of the final bill, as an export task.
    const call = stack.partner(partner);
    const task = await call('POST', '/v2/bills/export-tasks', { body: { export_type: 'bill-pdf', bill_cycle: '2025-06' } });
    expect(task.status).toBe(200);
    const done = await waitFor(async () => {
      const res = await call('GET', `/v2/bills/export-tasks/${task.body.task_id}`, { query: { t: String(Date.now()) } });
      return ['succeeded', 'failed'].includes(res.body.status) ? res.body : undefined;
    }, 'the PDF export');
    expect(done).toMatchObject({ status: 'succeeded', file_format: 'pdf', file_name: 'partner-bill-2025-06.pdf', row_count: 1 });
    const pdf = await call('GET', `/v2/bills/export-tasks/${task.body.task_id}/file`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(String(pdf.body).startsWith('%PDF-')).toBe(true);
    const none = await call('POST', '/v2/bills/export-tasks', { body: { export_type: 'bill-pdf', bill_cycle: '2024-01' } });
    expect(await waitFor(async () => {
      const res = await call('GET', `/v2/bills/export-tasks/${none.body.task_id}`, { query: { t: String(Date.now()) } });
      return res.body.status === 'failed' ? res.body : undefined;
    }, 'the export of a bill that does not exist to fail, without retries')).toMatchObject({ error_msg: 'There is no bill for 2024-01; generate it first.' });
  });

  it('refuses run requests that make no sense, in the API error shape', async () => {
    for (const body of [{}, { bill_cycle: '2025-13' }, { bill_cycle: '2025-06', extra: true }]) {
      expect(await stack.operator('POST', '/operator/billing/bill-runs', { body })).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    }
    expect(await stack.operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: '2999-01' } })).toMatchObject({ status: 409, body: { error_code: 'CBC.0102' } });
    expect(await stack.operator('GET', '/operator/billing/bill-runs/00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });
  });
});

describe('a run whose fan-out was never enqueued', () => {
  it('is enqueued again by the run sweep (once, by its job id) and completes', async () => {
    const { partner, customer } = await partnerWithCustomer('2025-03-05T00:00:00.000Z');
    await stack.ingest([usageRecord(customer, { occurred_at: '2025-03-05T00:00:00.000Z', bill_cycle: '2025-03', official_amount: '12.34' })]);
    // The state a crash between the run's commit and its enqueue leaves behind, a minute ago.
    const runId = randomUUID();
    await stack.dataSource.query(
      `INSERT INTO bill_runs (id, bill_cycle, finalize, requested_by, trigger_key, status, created_at) VALUES ($1, '2025-03', false, 'test', NULL, 'running', now() - interval '1 minute')`,
      [runId],
    );
    const bills = stack.app.get(BillsService);
    expect(await bills.requeueUnlistedRuns(30_000)).toBeGreaterThanOrEqual(1);
    await bills.requeueUnlistedRuns(30_000); // a second sweep before the fan-out ran enqueues nothing new (same job id)
    const done = await waitFor(async () => {
      const res = await stack.operator('GET', `/operator/billing/bill-runs/${runId}`);
      return res.body.status === 'running' ? undefined : res.body;
    }, 'the swept run to complete', { timeoutMs: 30_000 });
    expect(done).toMatchObject({ status: 'completed', partners_failed: 0 });
    expect((await billsOf(partner.partner_id, '2025-03'))[0]).toMatchObject({ amount_due: '12.34', line_count: 1 });
    expect(await bills.requeueUnlistedRuns(30_000)).toBe(0);
  });
});

describe('the partner bill APIs', () => {
  it('answers the monthly bill summary, customer monthly sums and fee records of the partner’s own customers only', async () => {
    const { partner, customer } = await partnerWithCustomer('2025-08-05T00:00:00.000Z');
    const at = { occurred_at: '2025-08-05T00:00:00.000Z', bill_cycle: '2025-08' };
    await stack.operator('POST', '/operator/billing/discounts', { body: { partner_id: partner.partner_id, service_type_code: 'hws.service.type.ec2', discount: '0.2', effective_from: '2025-01-01T00:00:00Z' } });
    await stack.ingest([
      usageRecord(customer, { ...at, official_amount: '50.00', resource_id: 'vm-a' }),
      usageRecord(customer, { ...at, official_amount: '25.00', resource_id: 'vm-b', charge_mode: 'yearly-monthly' }),
      usageRecord(customer, { ...at, official_amount: '10.00', resource_id: 'vm-a', record_type: 'refund' }),
      usageRecord(customer, { ...at, official_amount: '12.00', resource_id: 'obs-1', service_type_code: 'hws.service.type.obs' }),
    ]);
    await run('2025-08');
    const call = stack.partner(partner);

    const summary = await call('GET', '/v2/bills/partner-bills/postpaid-bill-summary', { query: { bill_cycle: '2025-08' } });
    // ec2: 40.00 + 20.00 − 8.00 = 52.00; obs (no discount): 12.00 → due 64.00
    // VAT per item: 52.00 → net 49.06 tax 2.94; 12.00 → net 11.32 tax 0.68 → 3.62
    expect(summary.body).toMatchObject({ bill_cycle: '2025-08', initial_amount_due: '64.00', consume_amount: '72.00', refunds: '-8.00', adjustments: '0.00', tax_amount: '3.62', currency: 'CNY', bill_status: 'draft' });

    const sums = await call('GET', '/v2/bills/partner-bills/subcustomer-bills/monthly-sum', { query: { cycle: '2025-08' } });
    expect(sums.body).toMatchObject({ count: 4, currency: 'CNY' });
    expect(sums.body.bill_sums.map((s: Record<string, string>) => [s.cloud_service_type, s.charge_mode, s.bill_type, s.official_amount, s.discount_amount, s.amount])).toEqual([
      ['hws.service.type.ec2', '3', '0', '50.00', '10.00', '40.00'],
      ['hws.service.type.ec2', '3', '1', '-10.00', '-2.00', '-8.00'],
      ['hws.service.type.ec2', '1', '0', '25.00', '5.00', '20.00'],
      ['hws.service.type.obs', '3', '0', '12.00', '0.00', '12.00'],
    ]);
    const refundsOnly = await call('GET', '/v2/bills/partner-bills/subcustomer-bills/monthly-sum', { query: { cycle: '2025-08', bill_type: '1' } });
    expect(refundsOnly.body).toMatchObject({ count: 1, bill_sums: [{ customer_id: customer, amount: '-8.00' }] });

    // The SDK's names (bill_cycle, charging_mode, bill_detail_type 5 usage / 4 refund, payment_amount); `cycle` still reads.
    const fees = await call('GET', '/v2/bills/subcustomer-bills/res-fee-records', { query: { bill_cycle: '2025-08', customer_id: customer, resource_id: 'vm-a' } });
    expect(fees.body).toMatchObject({ total_count: 2, currency: 'CNY' });
    expect(fees.body.fee_records.map((f: Record<string, string>) => [f.bill_detail_type, f.charging_mode, f.payment_amount, f.trade_time.slice(0, 10)])).toEqual(
      expect.arrayContaining([
        [5, 3, '40.00', '2025-08-05'],
        [4, 3, '-8.00', '2025-08-05'],
      ]),
    );
    expect((await call('GET', '/v2/bills/subcustomer-bills/res-fee-records', { query: { cycle: '2025-08', customer_id: customer, resource_id: 'vm-a', bill_detail_type: '4' } })).body.total_count).toBe(1);
    const paged = await call('GET', '/v2/bills/subcustomer-bills/res-fee-records', { query: { cycle: '2025-08', customer_id: customer, limit: '1', offset: '3' } });
    expect(paged.body).toMatchObject({ total_count: 4, fee_records: [expect.any(Object)] });

    // Another partner sees nothing of it.
    const other = stack.partner(await stack.createPartner());
    expect(await other('GET', '/v2/bills/partner-bills/postpaid-bill-summary', { query: { bill_cycle: '2025-08' } })).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });
    expect((await other('GET', '/v2/bills/partner-bills/subcustomer-bills/monthly-sum', { query: { cycle: '2025-08', customer_id: customer } })).body).toEqual({ count: 0, currency: null, bill_sums: [] });
    expect((await other('GET', '/v2/bills/subcustomer-bills/res-fee-records', { query: { cycle: '2025-08', customer_id: customer } })).body).toEqual({ total_count: 0, currency: null, fee_records: [] });

    // Salespeople do not read the partner's bills.
    const member = await stack.operator('POST', `/operator/partners/${partner.partner_id}/members`, { body: { name: 'Sales', role: 'salesperson' } });
    const key = await stack.operator('POST', `/operator/partners/${partner.partner_id}/access-keys`, { body: { member_id: member.body.member_id } });
    expect(await stack.partner(key.body)('GET', '/v2/bills/partner-bills/postpaid-bill-summary', { query: { bill_cycle: '2025-08' } })).toMatchObject({ status: 403, body: { error_code: 'CBC.0151' } });

    // Caller mistakes are 400 naming the parameter.
    for (const [path, query, field] of [
      ['/v2/bills/partner-bills/postpaid-bill-summary', {}, 'bill_cycle'],
      ['/v2/bills/partner-bills/postpaid-bill-summary', { bill_cycle: '2025-8' }, 'bill_cycle'],
      ['/v2/bills/partner-bills/subcustomer-bills/monthly-sum', { cycle: '2025-08', limit: '101' }, 'limit'],
      ['/v2/bills/partner-bills/subcustomer-bills/monthly-sum', { cycle: '2025-08', charge_mode: '2' }, 'charge_mode'],
      ['/v2/bills/partner-bills/subcustomer-bills/monthly-sum', { cycle: '2025-08', indirect_partner_id: 'x'.repeat(65) }, 'indirect_partner_id'],
      ['/v2/bills/subcustomer-bills/res-fee-records', { cycle: '2025-08' }, 'customer_id'],
      ['/v2/bills/subcustomer-bills/res-fee-records', { customer_id: customer }, 'bill_cycle'],
      ['/v2/bills/subcustomer-bills/res-fee-records', { cycle: '2025-08', customer_id: customer, offset: '-1' }, 'offset'],
    ] as const) {
      const res = await call('GET', path, { query });
      expect({ path, query, status: res.status, code: res.body.error_code, names: String(res.body.error_msg).includes(field) }).toEqual({ path, query, status: 400, code: 'CBC.0100', names: true });
    }
  });

  it("gives a tier-1 reseller the monthly sums of its tier-2 resellers' customers, and nobody else's", async () => {
    const tier1 = await stack.createPartner({ kind: 'reseller', tier: 1 });
    const tier2 = await stack.createPartner({ kind: 'reseller', tier: 2, parent_partner_id: tier1.partner_id });
    const stranger = await stack.createPartner({ kind: 'reseller', tier: 1 });
    await stack.knowsPartner(tier2.partner_id);
    const customer = await stack.associate(tier2.partner_id, { effectiveFrom: '2024-01-01T00:00:00.000Z' });
    await stack.owned(customer, tier2.partner_id, '2025-09-03T00:00:00.000Z');
    await stack.ingest([usageRecord(customer, { occurred_at: '2025-09-03T00:00:00.000Z', bill_cycle: '2025-09', official_amount: '33.33' })]);
    await run('2025-09');

    const viaParent = (await stack.partner(tier1)('GET', '/v2/bills/partner-bills/subcustomer-bills/monthly-sum', { query: { cycle: '2025-09', indirect_partner_id: tier2.partner_id } })).body;
    expect(viaParent).toMatchObject({ count: 1, currency: 'CNY' });
    expect(viaParent.bill_sums).toEqual([expect.objectContaining({ customer_id: customer, cycle: '2025-09', bill_type: '0', amount: '33.33' })]);
    const own = await stack.partner(tier2)('GET', '/v2/bills/partner-bills/subcustomer-bills/monthly-sum', { query: { cycle: '2025-09' } });
    expect(own.body.bill_sums).toEqual(viaParent.bill_sums);
    // The tier-1 reseller's own sums do not include its reseller's customers.
    expect((await stack.partner(tier1)('GET', '/v2/bills/partner-bills/subcustomer-bills/monthly-sum', { query: { cycle: '2025-09' } })).body).toEqual({ count: 0, currency: null, bill_sums: [] });

    for (const [caller, id] of [
      [stranger, tier2.partner_id],
      [tier1, 'no-such-partner'],
      [tier2, tier1.partner_id],
    ] as const) {
      const res = await stack.partner(caller)('GET', '/v2/bills/partner-bills/subcustomer-bills/monthly-sum', { query: { cycle: '2025-09', indirect_partner_id: id } });
      expect(res).toMatchObject({ status: 400, body: { error_code: 'CBC.99000037', error_msg: `indirect_partner_id: ${id} is not one of your tier-2 resellers.` } });
    }
  });

  it('shows a salesperson the sums and fee records of the customers it manages now, and no other', async () => {
    const partner = await stack.createPartner();
    const admin = stack.partner(partner);
    const salesperson = async (name: string) => {
      const member = await stack.operator('POST', `/operator/partners/${partner.partner_id}/members`, { body: { name, role: 'salesperson' } });
      const key = await stack.operator('POST', `/operator/partners/${partner.partner_id}/access-keys`, { body: { member_id: member.body.member_id } });
      return { memberId: member.body.member_id as string, call: stack.partner(key.body) };
    };
    const [alice, bob] = [await salesperson('Alice'), await salesperson('Bob')];
    const [mine, theirs] = [await stack.associate(partner.partner_id, { effectiveFrom: '2024-01-01T00:00:00.000Z' }), await stack.associate(partner.partner_id, { effectiveFrom: '2024-01-01T00:00:00.000Z' })];
    const managed = async (customer: string, memberId: string | null, n: number) => {
      const res = await admin('PUT', `/v2/partners/sub-customers/${customer}/account-manager`, { body: { member_id: memberId }, query: { n: String(n) } });
      expect(res.body).toEqual({ customer_id: customer, account_manager_id: memberId });
      await waitFor(async () => {
        const owner = await stack.operator('GET', '/operator/billing/customer-ownership', { query: { customer_id: customer, n: String(Date.now()) } });
        return owner.body.account_manager_id === memberId;
      }, `billing to know ${customer} is managed by ${memberId}`);
    };
    await managed(mine, alice.memberId, 1);
    await managed(theirs, bob.memberId, 2);
    const at = { occurred_at: '2025-10-07T00:00:00.000Z', bill_cycle: '2025-10' };
    await stack.owned(theirs, partner.partner_id, at.occurred_at);
    await stack.ingest([usageRecord(mine, { ...at, official_amount: '11.00' }), usageRecord(theirs, { ...at, official_amount: '22.00' })]);

    const sums = (call: typeof admin, n: string) => call('GET', '/v2/bills/partner-bills/subcustomer-bills/monthly-sum', { query: { cycle: '2025-10', limit: n } });
    expect((await sums(admin, '10')).body.bill_sums.map((b: Record<string, string>) => [b.customer_id, b.amount]).sort()).toEqual([[mine, '11.00'], [theirs, '22.00']].sort());
    expect((await sums(alice.call, '10')).body).toMatchObject({ count: 1, bill_sums: [{ customer_id: mine, amount: '11.00' }] });
    expect((await sums(bob.call, '10')).body).toMatchObject({ count: 1, bill_sums: [{ customer_id: theirs, amount: '22.00' }] });
    // Naming another salesperson's customer reads as if it had nothing.
    const peek = await alice.call('GET', '/v2/bills/subcustomer-bills/res-fee-records', { query: { cycle: '2025-10', customer_id: theirs } });
    expect(peek.body).toEqual({ total_count: 0, currency: null, fee_records: [] });
    const own = await alice.call('GET', '/v2/bills/subcustomer-bills/res-fee-records', { query: { cycle: '2025-10', customer_id: mine } });
    expect(own.body).toMatchObject({ total_count: 1, fee_records: [{ customer_id: mine, payment_amount: '11.00' }] });
    // The whole partner's bill stays with admin and finance.
    expect(await alice.call('GET', '/v2/bills/partner-bills/postpaid-bill-summary', { query: { bill_cycle: '2025-10' } })).toMatchObject({ status: 403, body: { error_code: 'CBC.0151' } });

    // Reassigned to Bob: Alice sees nothing any more, Bob both.
    await managed(mine, bob.memberId, 3);
    expect((await sums(alice.call, '11')).body).toEqual({ count: 0, currency: null, bill_sums: [] });
    expect((await sums(bob.call, '11')).body.count).toBe(2);
  });
});
