import { OrderPaidV1, OrderRefundedV1, SplitBillIssuedV1, SplitSettledV1, StatementConfirmedV1, StatementSplitSectionAttachedV1 } from '@settle/contracts';
import { PartnerCredentials, waitFor } from '@settle/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { ExportsService } from './exports/exports.service';
import { signReferralToken } from './referrals/referral-token';
import { MarketplaceStack, startMarketplaceStack } from './testing/marketplace-stack';

/**
 * The marketplace on the real stack (PostgreSQL, Redis, Kafka; customer-service and billing-service
 * as processes behind the real gateway): exclusive quotes and product links for program partners
 * only; orders attributed through valid referral tokens only; a split bill per partner and period
 * that enters the partner's reconciliation statement in billing; the partner's confirmation
 * settles exactly the confirmed split amount into its cash account, once; a refund after
 * settlement becomes a reversal of the next period.
 */
let stack: MarketplaceStack;
type Partner = PartnerCredentials & { partner_id: string };
let provider: Partner;
let distributor: Partner;
let reseller: Partner;
const run = randomUUID().slice(0, 8);
const P1 = `desk-${run}`;
const P2 = `vault-${run}`;
const FIRST = '2026-08';
const SECOND = '2026-09';
const THIRD = '2026-10';
const oid = (name: string) => `${name}-${run}`;

beforeAll(async () => {
  stack = await startMarketplaceStack();
  [provider, distributor, reseller] = await Promise.all([
    stack.createPartner({ kind: 'solution-provider' }),
    stack.createPartner({ kind: 'distributor' }),
    stack.createPartner({ kind: 'reseller' }),
  ]);
  for (const p of [provider, distributor, reseller]) await stack.knowsPartner(p.partner_id);
  for (const [id, name] of [[P1, 'Cloud Desk'], [P2, 'Vault']]) {
    const res = await stack.operator('POST', '/operator/marketplace/products', { body: { product_id: id, name, category: `saas.${run}`, seller_id: 'isv-1', currency: 'CNY', monthly_price: '100.00' } });
    expect(res.status).toBe(201);
  }
  const rule = await stack.operator('POST', '/operator/marketplace/split-rules', { body: { category: `saas.${run}`, platform_pct: '10', partner_pct: '20', effective_from: '2026-01-01T00:00:00.000Z' } });
  expect(rule.body).toMatchObject({ platform_pct: '10', partner_pct: '20', seller_pct: '70' });
}, 240_000);
afterAll(() => stack?.close(), 60_000);

const rows = async (sql: string, params: unknown[] = []) => (await stack.dataSource.query(sql, params)) as Record<string, unknown>[];

it('shows exclusive quotes and copies product links for program partners only; others get 403 in the error shape', async () => {
  const quote = await stack.operator('POST', `/operator/marketplace/products/${P1}/quotes`, {
    body: { quote_type: 'configuration-list', name: 'Desk for 50', currency: 'CNY', list_amount: '5000.00', quote_amount: '4250.00', items: [{ sku: 'desk-seat', quantity: 50, unit_price: '85.00' }], valid_from: '2026-01-01T00:00:00.000Z' },
  });
  expect(quote.body).toMatchObject({ quote_type: 'configuration-list', discount_amount: '750.00' });
  expect(await stack.operator('POST', `/operator/marketplace/products/${P1}/quotes`, { body: { quote_type: 'product', name: 'x', currency: 'CNY', list_amount: '1.001', quote_amount: '1', valid_from: '2026-01-01T00:00:00.000Z' } })).toMatchObject({
    status: 400,
    body: { error_code: 'CBC.0100' },
  });

  for (const outsider of [reseller]) {
    expect(await stack.partner(outsider)('GET', `/v2/marketplace/products/${P1}/quotes`)).toMatchObject({ status: 403, body: { error_code: 'CBC.0151', error_msg: expect.stringMatching(/program/) } });
    expect(await stack.partner(outsider)('POST', `/v2/marketplace/products/${P1}/referral-links`, { body: {} })).toMatchObject({ status: 403, body: { error_code: 'CBC.0151' } });
  }
  const seen = await stack.partner(distributor)('GET', `/v2/marketplace/products/${P1}/quotes`);
  expect(seen).toMatchObject({ status: 200, body: { product: { product_id: P1 }, quotes: [{ quote_type: 'configuration-list', quote_amount: '4250.00' }] } });

  const link = await stack.partner(provider)('POST', `/v2/marketplace/products/${P1}/referral-links`, { body: { valid_days: 30 } });
  expect(link).toMatchObject({ status: 201, body: { product_id: P1, key_id: 'test-b', link: expect.stringContaining(`/products/${P1}?ref=v1.test-b.`) } });
  expect(await stack.partner(provider)('POST', `/v2/marketplace/products/nope-${run}/referral-links`, { body: {} })).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });
  expect(await stack.partner(provider)('POST', `/v2/marketplace/products/${P1}/referral-links`, { body: { valid_days: 0 } })).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
});

let providerToken: string;

it('attributes orders through valid tokens only (rotated keys included), records why the others attribute nothing, and dead-letters invalid orders', async () => {
  providerToken = (await stack.partner(provider)('POST', `/v2/marketplace/products/${P1}/referral-links`, { body: {} })).body.referral_token;
  const claims = { partnerId: provider.partner_id, productId: P1, issuedAt: new Date('2026-09-01T00:00:00Z'), expiresAt: null };
  const rotated = signReferralToken(stack.keys.previous, claims);
  const forged = signReferralToken({ kid: stack.keys.current.kid, secret: randomBytes(32).toString('base64url') }, claims);
  const expired = signReferralToken(stack.keys.current, { ...claims, expiresAt: new Date('2026-08-01T00:00:00Z') });
  const foreign = signReferralToken(stack.keys.current, { ...claims, productId: P2 });
  const [v, kid, , sig] = providerToken.split('.');
  const altered = [v, kid, Buffer.from(JSON.stringify({ p: distributor.partner_id, pr: P1, iat: 1_790_000_000 })).toString('base64url'), sig].join('.');
  const order = (name: string, amount: string, token?: string, product = P1) => ({
    order_id: oid(name),
    product_id: product,
    customer_id: 'cust-1',
    amount,
    currency: 'CNY',
    paid_at: '2026-08-15T08:00:00.000Z',
    ...(token ? { referral_token: token } : {}),
  });
  for (const o of [
    order('valid', '100.00', providerToken),
    order('rotated', '10.01', rotated),
    order('forged', '50.00', forged),
    order('expired', '50.00', expired),
    order('foreign', '50.00', foreign),
    order('altered', '50.00', altered),
    order('plain', '50.00'),
    order('unknown-product', '50.00', undefined, `ghost-${run}`),
    { ...order('bad-amount', '1.001'), amount: '1.001' },
  ]) {
    await stack.publish(OrderPaidV1, o, o.order_id);
  }
  const booked = await waitFor(async () => {
    const r = await rows(`SELECT order_id, partner_id, referral_status, referral_rejection, partner_minor::text FROM orders WHERE order_id LIKE $1 ORDER BY order_id`, [`%-${run}`]);
    return r.length === 7 ? r : undefined;
  }, 'the seven valid orders booked');
  const byId = Object.fromEntries(booked.map((r) => [String(r.order_id).replace(`-${run}`, ''), r]));
  expect(byId.valid).toMatchObject({ partner_id: provider.partner_id, referral_status: 'attributed', partner_minor: '2000' });
  expect(byId.rotated).toMatchObject({ partner_id: provider.partner_id, referral_status: 'attributed', partner_minor: '200' });
  expect(byId.forged).toMatchObject({ partner_id: null, referral_status: 'rejected', referral_rejection: 'bad-signature', partner_minor: '0' });
  expect(byId.altered).toMatchObject({ partner_id: null, referral_status: 'rejected', referral_rejection: 'bad-signature' });
  expect(byId.expired).toMatchObject({ partner_id: null, referral_status: 'rejected', referral_rejection: 'expired' });
  expect(byId.foreign).toMatchObject({ partner_id: null, referral_status: 'rejected', referral_rejection: 'foreign-product' });
  expect(byId.plain).toMatchObject({ partner_id: null, referral_status: 'none', referral_rejection: null });

  const letters = await waitFor(() => (stack.deadLetters.length >= 2 ? stack.deadLetters : undefined), 'two dead letters');
  const reasons = letters.map((m) => `${m.headers?.['x-dlt-reason']?.toString()}: ${m.headers?.['x-dlt-error']?.toString()}`).sort();
  expect(reasons).toEqual([expect.stringMatching(/^invalid-data: .*amount/), expect.stringMatching(new RegExp(`^rejected: .*product ghost-${run} is not a marketplace product`))]);

  const detail = await stack.operator('GET', `/operator/marketplace/orders/${oid('valid')}`);
  expect(detail.body).toMatchObject({ amount: '100.00', partner_id: provider.partner_id, split: { platform_amount: '10.00', seller_amount: '70.00', partner_amount: '20.00' }, bill_cycle: FIRST });
  const rejected = await stack.operator('GET', '/operator/marketplace/orders', { query: { referral_status: 'rejected', limit: '100' } });
  const mineRejected = (rejected.body.orders as { order_id: string; referral_rejection: string }[]).filter((o) => o.order_id.endsWith(run));
  expect(mineRejected.map((o) => [o.order_id.replace(`-${run}`, ''), o.referral_rejection]).sort()).toEqual([['altered', 'bad-signature'], ['expired', 'expired'], ['foreign', 'foreign-product'], ['forged', 'bad-signature']]);
  const forgedDetail = await stack.operator('GET', `/operator/marketplace/orders/${oid('forged')}`);
  expect(forgedDetail.body).toMatchObject({ partner_id: null, referral_rejection: 'bad-signature', split: { platform_amount: '15.00', seller_amount: '35.00', partner_amount: '0.00' } });

  // Backfill over HTTP: the same pipeline; a duplicate changes nothing; an invalid item is answered, the others booked.
  const backfill = await stack.operator('POST', '/operator/marketplace/orders/batch', {
    body: { orders: [order('valid', '100.00', providerToken), order('http', '0.05', providerToken), order('http-bad', '-1.00')] },
  });
  expect(backfill).toMatchObject({
    status: 200,
    body: { total_count: 3, success_count: 2, attributed_count: 1, duplicate_count: 1, error_details: [{ index: 2, order_id: oid('http-bad'), error_code: 'CBC.0100' }] },
  });
  // 0.05 at 10 / 70 / 20: exact 0.005, 0.035, 0.01 → 0.00 + 0.03 + 0.01, the fen left to the platform (tie with the seller, platform first)
  expect((await stack.operator('GET', `/operator/marketplace/orders/${oid('http')}`)).body.split).toEqual({ platform_amount: '0.01', seller_amount: '0.03', partner_amount: '0.01' });
});

let splitBillId: string;
let customer: string;
let secondBillId: string;

it('settles exactly the confirmed split amount once: split bill → statement in billing → confirmation → the partner’s cash', async () => {
  // The partner has a final bill of the first period in billing, and is in the strict-selection split program.
  expect((await stack.operator('PUT', `/operator/billing/split-programs/${provider.partner_id}`, { body: { program: 'strict-selection' } })).status).toBe(200);
  customer = await stack.customerOf(provider.partner_id, '2026-08-10T00:00:00.000Z');
  const usage = await stack.operator('POST', '/operator/billing/usage-records/batch', {
    body: {
      records: [{
        record_id: `rec-${run}`, customer_id: customer, service_type_code: 'hws.service.type.ec2', resource_type_code: 'hws.resource.type.vm', resource_id: 'vm-1',
        region_code: 'cn-north-4', usage: '3600', usage_measure_id: 4, charge_mode: 'on-demand', record_type: 'consumption', official_amount: '50.00', currency: 'CNY',
        occurred_at: '2026-08-10T04:00:00.000Z', bill_cycle: FIRST,
      }],
    },
  });
  expect(usage.body).toMatchObject({ success_count: 1 });

  // A partial refund in the first period: 33.33 of the 100.00 order reverses 3.33 / 23.33 / 6.67.
  await stack.publish(OrderRefundedV1, { refund_id: oid('r1'), order_id: oid('valid'), amount: '33.33', currency: 'CNY', refunded_at: '2026-08-20T00:00:00.000Z' }, oid('valid'));
  await waitFor(async () => (await rows('SELECT 1 FROM refunds WHERE refund_id = $1', [oid('r1')])).length === 1, 'the refund booked');
  expect((await stack.operator('GET', `/operator/marketplace/orders/${oid('valid')}`)).body.refunds).toEqual([
    expect.objectContaining({ amount: '33.33', reversal: { platform_amount: '-3.33', seller_amount: '-23.33', partner_amount: '-6.67' }, bill_cycle: FIRST }),
  ]);

  expect(await stack.operator('POST', '/operator/marketplace/split-bills/issue', { body: { bill_cycle: '2099-01' } })).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
  const issued = await stack.operator('POST', '/operator/marketplace/split-bills/issue', { body: { bill_cycle: FIRST } });
  const bill = (issued.body.split_bills as Record<string, unknown>[]).find((b) => b.partner_id === provider.partner_id) as Record<string, unknown>;
  // 20.00 (valid) + 2.00 (rotated: 10.01 → 1.00 / 7.01 / 2.00) + 0.01 (http) − 6.67 (refund)
  expect(bill).toMatchObject({ bill_cycle: FIRST, currency: 'CNY', partner_amount: '15.34', order_amount: '76.73', order_count: 3, refund_count: 1, status: 'issued' });
  splitBillId = bill.split_bill_id as string;
  expect((await stack.operator('POST', '/operator/marketplace/split-bills/issue', { body: { bill_cycle: FIRST } })).body.issued_count).toBe(0);
  await stack.waitForEvent(SplitBillIssuedV1, (d) => d.split_bill_id === splitBillId);

  // The bill run makes the statement; the split bill enters it (in whichever order they arrive).
  await stack.operator('POST', `/operator/billing/cycles/${FIRST}/close`);
  const started = await stack.operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: FIRST } });
  await waitFor(async () => ((await stack.operator('GET', `/operator/billing/bill-runs/${started.body.run_id}`)).body.status === 'completed' ? true : undefined), 'the bill run');
  const attached = await stack.waitForEvent(StatementSplitSectionAttachedV1, (d) => d.split_bill_id === splitBillId);
  const statementId = attached.data.statement_id as string;
  const call = stack.partner(provider);
  let poll = 0;
  const statement = await waitFor(async () => {
    const res = await call('GET', `/v2/bills/statements/${statementId}`, { query: { poll: String(poll++) } });
    return res.status === 200 && res.body.revision === attached.data.revision ? res.body : undefined;
  }, 'the statement with its split section');
  expect(statement).toMatchObject({ status: 'pending', bill_cycle: FIRST, split_section: { currency: 'CNY', partner_amount: '15.34', split_bills: [{ split_bill_id: splitBillId, partner_amount: '15.34', order_count: 3, refund_count: 1 }] } });
  if (statement.revision > 1) {
    expect(await call('POST', `/v2/bills/statements/${statementId}/confirm`, { body: { revision: statement.revision - 1 } })).toMatchObject({ status: 409, body: { error_code: 'CBC.0102' } });
  }

  expect(await call('POST', `/v2/bills/statements/${statementId}/confirm`, { body: { revision: statement.revision } })).toMatchObject({ status: 200, body: { status: 'confirmed' } });
  const confirmation = await stack.waitForEvent(StatementConfirmedV1, (d) => d.statement_id === statementId);
  const settled = await stack.waitForEvent(SplitSettledV1, (d) => d.settlement_id === splitBillId);
  expect(settled.data).toMatchObject({ partner_id: provider.partner_id, statement_id: statementId, amount: '15.34', currency: 'CNY', order_count: 3 });
  const cash = async () => ((await stack.operator('GET', '/operator/billing/accounts', { query: { partner_id: provider.partner_id } })).body.account_balances as { account_type: string; amount: string }[]).find((a) => a.account_type === 'cash')?.amount;
  await waitFor(async () => (await cash()) === '15.34', 'the partner’s cash up by its share');

  // The confirmation delivered again (same event id) and replayed (a new event id): nothing more.
  const replayId = randomUUID();
  await stack.publish(StatementConfirmedV1, confirmation.data as Record<string, unknown>, provider.partner_id, confirmation.id);
  await stack.publish(StatementConfirmedV1, confirmation.data as Record<string, unknown>, provider.partner_id, replayId);
  await waitFor(async () => (await rows(`SELECT 1 FROM processed_events WHERE event_id = $1 AND consumer_group LIKE '%marketplace.statements'`, [replayId])).length === 1, 'the replay consumed');
  expect(stack.events().filter((e) => e.type === SplitSettledV1.type && (e.data as { settlement_id: string }).settlement_id === splitBillId)).toHaveLength(1);
  expect(await cash()).toBe('15.34');
  const records = await call('GET', '/v2/accounts/partner-accounts/account-change-records', { query: { trade_type: 'split-settlement' } });
  expect(records.body).toMatchObject({ total_count: 1, records: [{ change_amount: '15.34' }] });

  const mine = await stack.partner(provider)('GET', `/v2/marketplace/split-bills/${splitBillId}`, { query: { limit: '10' } });
  expect(mine.body).toMatchObject({ status: 'settled', settled_amount: '15.34', statement_id: statementId, partner_amount: '15.34' });
  expect((mine.body.lines as { line_type: string; partner_amount: string }[]).map((l) => [l.line_type, l.partner_amount]).sort()).toEqual([['order', '0.01'], ['order', '2.00'], ['order', '20.00'], ['refund', '-6.67']]);
});

it('turns a refund after settlement into a reversal in the next period’s split bill, and refuses refunds beyond the order', async () => {
  // Refunded in the first period, but its bill is issued and settled: the reversal lands in the next one.
  await stack.publish(OrderRefundedV1, { refund_id: oid('r2'), order_id: oid('valid'), amount: '66.67', currency: 'CNY', refunded_at: '2026-08-25T00:00:00.000Z' }, oid('valid'));
  await stack.publish(OrderRefundedV1, { refund_id: oid('r3'), order_id: oid('valid'), amount: '0.01', currency: 'CNY', refunded_at: '2026-09-02T00:00:00.000Z' }, oid('valid'));
  await waitFor(async () => (await rows('SELECT 1 FROM refunds WHERE refund_id = $1', [oid('r2')])).length === 1, 'the late refund booked');
  const letter = await waitFor(() => stack.deadLetters.find((m) => m.headers?.['x-dlt-error']?.toString().includes(oid('r3'))), 'the refund beyond the order dead-lettered');
  expect(letter.headers?.['x-dlt-error']?.toString()).toMatch(/exceeds what is left .*refunds never exceed the order/);

  const issued = await stack.operator('POST', '/operator/marketplace/split-bills/issue', { body: { bill_cycle: SECOND } });
  const secondBill = (issued.body.split_bills as Record<string, unknown>[]).find((b) => b.partner_id === provider.partner_id);
  // cumulative 100.00 reverses 10.00 / 70.00 / 20.00 in all; the first refund took 3.33 / 23.33 / 6.67
  secondBillId = secondBill?.split_bill_id as string;
  expect(secondBill).toMatchObject({ bill_cycle: SECOND, partner_amount: '-13.33', platform_amount: '-6.67', seller_amount: '-46.67', order_count: 0, refund_count: 1 });
  const firstBill = await stack.operator('GET', '/operator/marketplace/split-bills', { query: { partner_id: provider.partner_id, bill_cycle: FIRST } });
  expect(firstBill.body.split_bills).toEqual([expect.objectContaining({ split_bill_id: splitBillId, partner_amount: '15.34', status: 'settled', settled_amount: '15.34' })]);
});

/** Usage of the partner's customer in `cycle`, the cycle closed and billed: billing makes the statement the split bill enters; the partner confirms it. */
async function confirmStatementWith(cycle: string, billId: string): Promise<string> {
  const usage = await stack.operator('POST', '/operator/billing/usage-records/batch', {
    body: {
      records: [{
        record_id: `rec-${run}-${cycle}`, customer_id: customer, service_type_code: 'hws.service.type.ec2', resource_type_code: 'hws.resource.type.vm', resource_id: 'vm-1',
        region_code: 'cn-north-4', usage: '3600', usage_measure_id: 4, charge_mode: 'on-demand', record_type: 'consumption', official_amount: '5.00', currency: 'CNY',
        occurred_at: `${cycle}-10T04:00:00.000Z`, bill_cycle: cycle,
      }],
    },
  });
  expect(usage.body).toMatchObject({ success_count: 1 });
  await stack.operator('POST', `/operator/billing/cycles/${cycle}/close`);
  const started = await stack.operator('POST', '/operator/billing/bill-runs', { body: { bill_cycle: cycle } });
  await waitFor(async () => ((await stack.operator('GET', `/operator/billing/bill-runs/${started.body.run_id}`)).body.status === 'completed' ? true : undefined), `the bill run of ${cycle}`);
  const attached = await stack.waitForEvent(StatementSplitSectionAttachedV1, (d) => d.split_bill_id === billId);
  const id = attached.data.statement_id as string;
  let poll = 0;
  const statement = await waitFor(async () => {
    const res = await stack.partner(provider)('GET', `/v2/bills/statements/${id}`, { query: { poll: String(poll++) } });
    return res.status === 200 && res.body.revision === attached.data.revision ? res.body : undefined;
  }, `the statement of ${cycle}`);
  expect(await stack.partner(provider)('POST', `/v2/bills/statements/${id}/confirm`, { body: { revision: statement.revision } })).toMatchObject({ status: 200, body: { status: 'confirmed' } });
  return id;
}

it('carries what a settled bill owes back into the next bill, so the next settlement is reduced by exactly it', async () => {
  // The second period's statement shows its split bill (−13.33); confirming it pays nothing.
  await confirmStatementWith(SECOND, secondBillId);
  const second = await waitFor(async () => {
    const res = await stack.operator('GET', '/operator/marketplace/split-bills', { query: { partner_id: provider.partner_id, bill_cycle: SECOND } });
    return res.body.split_bills?.[0]?.status === 'settled' ? res.body.split_bills[0] : undefined;
  }, 'the second bill settled');
  expect(second).toMatchObject({ partner_amount: '-13.33', settled_amount: '0.00' });
  expect(stack.events().filter((e) => e.type === SplitSettledV1.type && (e.data as { settlement_id: string }).settlement_id === secondBillId)).toEqual([]);

  // A new 100.00 order through the link in the third period: its 20.00 share, minus the 13.33 carried.
  const order = { order_id: oid('third'), product_id: P1, customer_id: 'cust-2', amount: '100.00', currency: 'CNY', paid_at: `${THIRD}-10T08:00:00.000Z`, referral_token: providerToken };
  expect((await stack.operator('POST', '/operator/marketplace/orders/batch', { body: { orders: [order] } })).body).toMatchObject({ attributed_count: 1 });
  const issued = await stack.operator('POST', '/operator/marketplace/split-bills/issue', { body: { bill_cycle: THIRD } });
  const third = (issued.body.split_bills as Record<string, unknown>[]).find((b) => b.partner_id === provider.partner_id) as Record<string, unknown>;
  expect(third).toMatchObject({ partner_amount: '6.67', carried_amount: '-13.33', order_count: 1 });
  // Carried once: issuing again carries nothing more.
  expect((await stack.operator('POST', '/operator/marketplace/split-bills/issue', { body: { bill_cycle: THIRD } })).body.issued_count).toBe(0);

  const statementId = await confirmStatementWith(THIRD, third.split_bill_id as string);
  const settled = await stack.waitForEvent(SplitSettledV1, (d) => d.settlement_id === third.split_bill_id);
  expect(settled.data).toMatchObject({ statement_id: statementId, amount: '6.67' });
  await waitFor(async () => {
    const res = await stack.operator('GET', '/operator/billing/accounts', { query: { partner_id: provider.partner_id } });
    return (res.body.account_balances as { account_type: string; amount: string }[]).find((a) => a.account_type === 'cash')?.amount === '22.01';
  }, 'the partner’s cash at 15.34 + 6.67');
});

it('shows a partner only its own split bills', async () => {
  expect(await stack.partner(distributor)('GET', `/v2/marketplace/split-bills/${splitBillId}`)).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });
  expect((await stack.partner(distributor)('GET', '/v2/marketplace/split-bills')).body).toEqual({ total_count: 0, split_bills: [] });
  expect(await stack.partner(reseller)('GET', '/v2/marketplace/split-bills')).toMatchObject({ status: 403, body: { error_code: 'CBC.0151' } });
  expect((await stack.partner(provider)('GET', '/v2/marketplace/split-bills', { query: { bill_cycle: FIRST } })).body).toMatchObject({ total_count: 1 });
  expect((await stack.partner(provider)('GET', '/v2/marketplace/split-bills')).body).toMatchObject({ total_count: 3 });
});

it('exports a split bill’s lines as an asynchronous task, for its partner only', async () => {
  const call = stack.partner(provider);
  const created = await call('POST', `/v2/marketplace/split-bills/${splitBillId}/export-tasks`, { body: {} });
  expect(created).toMatchObject({ status: 200, body: { status: 'pending', message: 'Export task created successfully.' } });
  const taskId = created.body.task_id as string;
  let poll = 0;
  const done = await waitFor(async () => {
    const res = await call('GET', `/v2/marketplace/export-tasks/${taskId}`, { query: { poll: String(poll++) } });
    return res.body.status === 'succeeded' ? res.body : undefined;
  }, 'the export task');
  expect(done).toMatchObject({ split_bill_id: splitBillId, row_count: 4, file_name: `split-bill-${FIRST}-CNY.csv` });
  const file = await call('GET', `/v2/marketplace/export-tasks/${taskId}/file`);
  expect(file.status).toBe(200);
  const lines = String(file.body).replace(/^\uFEFF/, '').trim().split('\n');
  expect(lines[0]).toBe('line_type,line_id,order_id,product_id,customer_id,time,amount,platform_amount,seller_amount,partner_amount');
  expect(lines.slice(1).map((l) => l.split(',')[9]).sort()).toEqual(['-6.67', '0.01', '2.00', '20.00']);
  expect(await stack.partner(distributor)('GET', `/v2/marketplace/export-tasks/${taskId}`)).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });
  expect(await stack.partner(distributor)('POST', `/v2/marketplace/split-bills/${splitBillId}/export-tasks`, { body: {} })).toMatchObject({ status: 404 });

  // Past its expiry the sweep deletes the file; the task says so and the download is refused.
  await stack.dataSource.query(`UPDATE export_tasks SET expires_at = now() - interval '1 minute' WHERE id = $1`, [taskId]);
  expect(await stack.app.get(ExportsService).sweep(60_000)).toMatchObject({ expired: 1 });
  expect(await call('GET', `/v2/marketplace/export-tasks/${taskId}/file`, { query: { after: 'sweep' } })).toMatchObject({ status: 409, body: { error_code: 'CBC.0102', error_msg: expect.stringMatching(/expired/) } });
});
