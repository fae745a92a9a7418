import { IncentivePayoutAppliedV1, IncentivePayoutPaidV1, IncentivePayoutReleasedV1, InvoiceApprovedV1, InvoiceRejectedV1 } from '@settle/contracts';
import { PartnerCredentials, waitFor } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { IncentiveStack, startIncentiveStack, usageRecord } from '../testing/incentive-stack';

/**
 * From billing's events to a paid notice, on the real stack (customer-service and billing-service
 * as processes): accrual → notice run → payout application by each method → invoice review
 * (published here as invoice-service will) → release → billing credits a recharge once / an
 * operator marks a bank transfer paid / vouchers are granted at once. 20 concurrent applications
 * give one payout; redelivering and replaying the whole stream changes no notice.
 */
let stack: IncentiveStack;
type Partner = PartnerCredentials & { partner_id: string };
const partners: Record<'bank' | 'recharge' | 'voucher' | 'race' | 'uncertified', Partner> = {} as never;
const notices: Record<string, string> = {};
const invoiceEvents: { definition: typeof InvoiceApprovedV1 | typeof InvoiceRejectedV1; data: Record<string, unknown>; id: string; partnerId: string }[] = [];

beforeAll(async () => {
  stack = await startIncentiveStack();
  await stack.createPolicy({
    code: `PAYOUT-${Date.now().toString(36)}`,
    name: 'Flat consultant-sale incentive',
    partner_kinds: ['reseller'],
    service_type_codes: ['hws.service.type.ec2'],
    rate: { type: 'flat', rate: '0.10' },
    effective_from: '2025-01',
  });
  const feb = { occurred_at: '2025-02-12T00:00:00.000Z', bill_cycle: '2025-02' };
  const amounts = { bank: '1234.50', recharge: '500.00', voucher: '80.00', race: '300.00', uncertified: '100.00' } as const;
  const records: Record<string, unknown>[] = [];
  for (const [name, official] of Object.entries(amounts) as [keyof typeof amounts, string][]) {
    partners[name] = await stack.createPartner({ kind: 'reseller', certification_status: name === 'uncertified' ? 'pending' : 'certified', taxpayer_type: name === 'recharge' ? 'small-scale' : 'general' });
    const customer = await stack.associate(partners[name].partner_id);
    records.push(usageRecord(customer, { ...feb, official_amount: official }));
  }
  await stack.ingest(records);
  await stack.finalizeCycle('2025-02');
  for (const p of Object.values(partners)) await stack.accrued(p.partner_id, 1);
  const started = await stack.operator('POST', '/operator/incentives/notice-runs', { body: { period: '2025-02' } });
  await waitFor(async () => (await stack.operator('GET', `/operator/incentives/notice-runs/${started.body.run_id}`)).body.status === 'completed', 'the notice run');
  for (const [name, p] of Object.entries(partners)) {
    const list = await stack.partner(p)('GET', '/v2/incentives/notices', {});
    notices[name] = list.body.notices[0].notice_id;
  }
}, 300_000);
afterAll(() => stack?.close(), 60_000);

const call = (name: keyof typeof partners) => stack.partner(partners[name]);
const apply = (name: keyof typeof partners, method: string) => call(name)('POST', '/v2/incentives/payout-applications', { body: { notice_id: notices[name], method } });
const progress = async (name: keyof typeof partners, applicationId: string) => (await call(name)('GET', `/v2/incentives/payout-applications/${applicationId}`)).body;
const releasedOf = (applicationId: string, partnerId: string) =>
  stack.events().filter((e) => e.type === IncentivePayoutReleasedV1.type && (e.data as { partner_id: string }).partner_id === partnerId && applicationId !== '');

type Application = { application_id: string; currency: string; invoice: { net_amount: string; tax_amount: string; gross_amount: string } };
async function review(definition: typeof InvoiceApprovedV1 | typeof InvoiceRejectedV1, application: Application, partnerId: string, extra: Record<string, unknown>) {
  const data = {
    invoicing_list_id: randomUUID(),
    application_id: application.application_id,
    partner_id: partnerId,
    invoice_number: `INV-${randomUUID().slice(0, 8)}`,
    net_amount: application.invoice.net_amount,
    tax_amount: application.invoice.tax_amount,
    gross_amount: application.invoice.gross_amount,
    currency: application.currency,
    submission: 1,
    ...extra,
  };
  const id = await stack.publish(definition, data as never, { partitionKey: partnerId });
  invoiceEvents.push({ definition, data, id, partnerId });
  return id;
}
const approve = (application: Application, partnerId: string) => review(InvoiceApprovedV1, application, partnerId, { approved_at: new Date().toISOString(), approved_by: 'finance-op' });

async function cashOf(name: keyof typeof partners): Promise<string> {
  const res = await call(name)('GET', '/v2/accounts/partner-accounts/balances', {});
  expect(res.status).toBe(200);
  const cash = res.body.account_balances.find((a: { account_type: number }) => a.account_type === 1);
  return cash ? String(cash.amount) : '0';
}

describe('payouts from billing’s events to a paid notice', () => {
  it('returns a recharge payout to the partner’s cash account in billing once the invoice is approved: exactly the payout, once', async () => {
    const before = Number(await cashOf('recharge'));
    const applied = await apply('recharge', 'recharge-account');
    // 50.00, small-scale taxpayer, 2025: gross = the notice amount, 3 %: net 48.54, tax 1.46
    expect(applied).toMatchObject({ status: 201, body: { status: 'awaiting-invoice', amount: '50.00', invoice_required: true, invoice: { gross_amount: '50.00', net_amount: '48.54', tax_amount: '1.46', tax_rate: '0.03', taxpayer_type: 'small-scale' } } });
    const event = await stack.waitForEvent(IncentivePayoutAppliedV1, (d) => (d as { application_id: string }).application_id === applied.body.application_id);
    expect(event.data).toMatchObject({ method: 'recharge-account', invoice_required: true, amount: '50.00', notice_ids: [notices.recharge], invoice: { gross_amount: '50.00' } });

    const approval = await approve(applied.body, partners.recharge.partner_id);
    const released = await stack.waitForEvent(IncentivePayoutReleasedV1, (d) => (d as { partner_id: string }).partner_id === partners.recharge.partner_id);
    expect(released.data).toMatchObject({ method: 'recharge-account', amount: '50.00', currency: 'CNY', period: '2025-02', notice_ids: [notices.recharge] });
    await waitFor(async () => Number(await cashOf('recharge')) === before + 50, 'billing to credit the payout');

    // The same approval again, and a second approval of the same application: nothing more.
    await stack.publish(InvoiceApprovedV1, invoiceEvents.find((e) => e.id === approval)!.data as never, { partitionKey: partners.recharge.partner_id, id: approval });
    const again = await approve(applied.body, partners.recharge.partner_id);
    await waitFor(async () => (await stack.dataSource.query(`SELECT 1 FROM processed_events WHERE event_id = $1`, [again])).length === 1, 'the second approval to be consumed');
    expect(releasedOf(applied.body.application_id, partners.recharge.partner_id)).toHaveLength(1);
    expect(Number(await cashOf('recharge'))).toBe(before + 50);
    expect(await progress('recharge', applied.body.application_id)).toMatchObject({ status: 'released', progress: [{ step: 'applied' }, { step: 'invoice-approved' }, { step: 'released', payout_id: released.data.payout_id }] });
    expect((await call('recharge')('GET', `/v2/incentives/notices/${notices.recharge}`)).body.status).toBe('paid');
  });

  it('pays a bank transfer: a rejected invoice shows as progress, the approved one makes a payment instruction, the operator marks it paid with the bank reference', async () => {
    const before = await cashOf('bank');
    const applied = await apply('bank', 'bank-transfer');
    // 123.45, general taxpayer: net 116.46, tax 6.99
    expect(applied.body).toMatchObject({ amount: '123.45', invoice: { gross_amount: '123.45', net_amount: '116.46', tax_amount: '6.99', tax_rate: '0.06' } });
    const id = applied.body.application_id;
    const rejection = await review(InvoiceRejectedV1, applied.body, partners.bank.partner_id, { rejected_at: new Date().toISOString(), rejected_by: 'finance-op', reason: 'wrong invoice title' });
    await waitFor(async () => (await stack.dataSource.query(`SELECT 1 FROM processed_events WHERE event_id = $1`, [rejection])).length === 1, 'the rejection');
    expect(await progress('bank', id)).toMatchObject({ status: 'awaiting-invoice', invoice_status: 'rejected', progress: [{ step: 'applied' }, { step: 'invoice-rejected', reason: 'wrong invoice title' }] });

    await approve({ ...applied.body }, partners.bank.partner_id);
    await waitFor(async () => (await progress('bank', id)).status === 'released', 'the release');
    const paid = await stack.operator('POST', `/operator/incentives/payout-applications/${id}/mark-paid`, { body: { bank_reference: 'ICBC-20250315-0042' } });
    expect(paid).toMatchObject({ status: 200, body: { status: 'paid', bank_reference: 'ICBC-20250315-0042' } });
    const paidEvent = await stack.waitForEvent(IncentivePayoutPaidV1, (d) => (d as { application_id: string }).application_id === id);
    expect(paidEvent.data).toMatchObject({ amount: '123.45', bank_reference: 'ICBC-20250315-0042', partner_id: partners.bank.partner_id, paid_by: 'operator:test-operator' });
    expect((await stack.operator('POST', `/operator/incentives/payout-applications/${id}/mark-paid`, { body: { bank_reference: 'ICBC-20250315-0042' } })).status).toBe(200);
    expect(await stack.operator('POST', `/operator/incentives/payout-applications/${id}/mark-paid`, { body: { bank_reference: 'OTHER' } })).toMatchObject({ status: 409 });
    expect((await progress('bank', id)).progress.map((s: { step: string }) => s.step)).toEqual(['applied', 'invoice-rejected', 'invoice-approved', 'released', 'paid']);
    expect((await call('bank')('GET', `/v2/incentives/notices/${notices.bank}`)).body.status).toBe('paid');
    expect(await cashOf('bank')).toBe(before); // a bank transfer moves nothing in billing
  });

  it('releases vouchers at once, without an invoice, as voucher credit the partner sees', async () => {
    const applied = await apply('voucher', 'voucher');
    expect(applied).toMatchObject({ status: 201, body: { status: 'released', amount: '8.00', invoice_required: false, invoice: null, payout_id: expect.any(String) } });
    const credits = await call('voucher')('GET', '/v2/incentives/voucher-credits', {});
    expect(credits.body).toMatchObject({ total_count: 1, voucher_credits: [{ application_id: applied.body.application_id, amount: '8.00', currency: 'CNY', payout_id: applied.body.payout_id }] });
    const released = await stack.waitForEvent(IncentivePayoutReleasedV1, (d) => (d as { payout_id: string }).payout_id === applied.body.payout_id);
    expect(released.data).toMatchObject({ method: 'voucher', amount: '8.00' });
    const appliedEvent = await stack.waitForEvent(IncentivePayoutAppliedV1, (d) => (d as { application_id: string }).application_id === applied.body.application_id);
    expect(appliedEvent.data).toMatchObject({ invoice_required: false });
    expect(appliedEvent.data).not.toHaveProperty('invoice');
  });

  it('refuses, with clear codes: no certification, a second application, another partner’s notice, a bad method', async () => {
    expect(await apply('uncertified', 'voucher')).toMatchObject({ status: 409, body: { error_code: 'CBC.99060001' } });
    expect(await apply('voucher', 'bank-transfer')).toMatchObject({ status: 409, body: { error_code: 'CBC.99060002' } });
    expect(await call('race')('POST', '/v2/incentives/payout-applications', { body: { notice_id: notices.bank, method: 'voucher' } })).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });
    expect(await apply('race', 'cash-in-hand')).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    expect((await call('race')('GET', '/v2/incentives/payout-applications', {})).body.total_count).toBe(0);
  });

  it('gives one payout for 20 concurrent applications for the same notice', async () => {
    // Twenty distinct signed requests (one access key each): the gateway answers a repeated signature
    // from its replay store, so identical requests would not reach the service at all.
    const keys: PartnerCredentials[] = [partners.race];
    while (keys.length < 20) {
      const key = await stack.operator('POST', `/operator/partners/${partners.race.partner_id}/access-keys`, { body: {} });
      expect(key.status).toBe(201);
      keys.push({ ...partners.race, access_key: key.body.access_key, secret_key: key.body.secret_key });
    }
    const answers = await Promise.all(keys.map((k) => stack.partner(k)('POST', '/v2/incentives/payout-applications', { body: { notice_id: notices.race, method: 'recharge-account' } })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.body.error_code === 'CBC.99060002')).toHaveLength(19);
    const [winner] = answers.filter((a) => a.status === 201);
    const rows = await stack.dataSource.query(`SELECT id FROM payout_applications WHERE notice_id = $1`, [notices.race]);
    expect(rows).toEqual([{ id: winner.body.application_id }]);
    await Promise.all([approve(winner.body, partners.race.partner_id), approve(winner.body, partners.race.partner_id)]);
    await stack.waitForEvent(IncentivePayoutReleasedV1, (d) => (d as { partner_id: string }).partner_id === partners.race.partner_id);
    await waitFor(async () => Number(await cashOf('race')) === 30, 'billing to credit the race payout');
    await waitFor(async () => (await stack.dataSource.query(`SELECT count(*)::int AS n FROM payout_steps WHERE application_id = $1 AND step = 'invoice-approved'`, [winner.body.application_id]))[0].n === 1, 'the approval');
    expect(releasedOf(winner.body.application_id, partners.race.partner_id)).toHaveLength(1);
  });

  it('leaves every notice, application and payout unchanged when the whole event stream is redelivered and then replayed', async () => {
    const snapshot = async () => ({
      notices: await stack.dataSource.query(`SELECT id, partner_id, period, total_minor, status FROM notices ORDER BY id`),
      lines: await stack.dataSource.query(`SELECT notice_id, line_no, eligible_minor, incentive_minor FROM notice_lines ORDER BY notice_id, line_no`),
      accruals: await stack.dataSource.query(`SELECT source_ref, amount_minor, notice_id FROM accruals ORDER BY source_ref`),
      applications: await stack.dataSource.query(`SELECT id, status, payout_id FROM payout_applications ORDER BY id`),
      vouchers: await stack.dataSource.query(`SELECT application_id, amount_minor FROM voucher_credits ORDER BY application_id`),
    });
    const before = await snapshot();
    const released = stack.events().filter((e) => e.type === IncentivePayoutReleasedV1.type).length;
    const stream = ['settle.billing.consumption-summary.v1', 'settle.billing.consumption-adjusted.v1', 'settle.customer.partner.registered.v1', 'settle.customer.partner.profile-changed.v1'];
    const redeliver = async () => {
      const n = await stack.republish(stream);
      for (const e of invoiceEvents) await stack.publish(e.definition, e.data as never, { partitionKey: e.partnerId, id: e.id });
      return n + invoiceEvents.length;
    };
    await redeliver();
    // Replay: the inbox forgotten, every event applied again from scratch.
    await stack.dataSource.query(`DELETE FROM processed_events`);
    const count = await redeliver();
    await waitFor(async () => (await stack.dataSource.query(`SELECT count(*)::int AS n FROM processed_events`))[0].n >= count, 'the replayed stream to be consumed', { timeoutMs: 30_000 });
    // A run of the period again, after the replay.
    const run = await stack.operator('POST', '/operator/incentives/notice-runs', { body: { period: '2025-02' } });
    await waitFor(async () => (await stack.operator('GET', `/operator/incentives/notice-runs/${run.body.run_id}`)).body.status === 'completed', 'the re-run');
    expect(await snapshot()).toEqual(before);
    expect(stack.events().filter((e) => e.type === IncentivePayoutReleasedV1.type)).toHaveLength(released);
  });
});
