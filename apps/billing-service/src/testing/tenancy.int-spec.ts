import { offlineEnv } from '@settle/service-kit/testing';
import { ApiResponse, PartnerCredentials, waitFor } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { BillingService } from '../billing-service';
import { BillingStack, startBillingStack, usageRecord } from './billing-stack';

/**
 * The tenancy proof (issue 16) for billing-service: every partner route, called as partner B with
 * partner A's ids (in paths, bodies and filters) and, on the routes salespeople use, as one of A's
 * salespeople on another salesperson's customer. By-id routes are refused (403/404 in the error
 * shape); list, filter and own-account routes answer nothing of A's. The table is keyed by the
 * route walk: a new partner route without a row fails the first test. (Billing has no route for
 * salespeople only, so finance meets no salesperson route here; customer-service's suite covers it.)
 */
let stack: BillingStack;
beforeAll(async () => {
  stack = await startBillingStack();
}, 180_000);
afterAll(() => stack?.close(), 60_000);

interface Probe {
  method: string;
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  /** `refused`: 403 or 404 in the error shape. `nothing`: any non-5xx answer without A's data. */
  expect: 'refused' | 'nothing';
}

interface World {
  a: string;
  customer: string;
  quota: string;
  withdrawal: string;
  task: string;
  statement: string;
}

const refused = (method: string, path: string, body?: unknown, query?: Record<string, string>): Probe => ({ method, path, body, query, expect: 'refused' });
const nothing = (method: string, path: string, body?: unknown, query?: Record<string, string>): Probe => ({ method, path, body, query, expect: 'nothing' });
const ACC = '/v2/accounts/partner-accounts';
const request_id = () => `t${randomUUID().slice(0, 8)}`;

type Row = { otherPartner: (w: World) => Probe[]; otherSalesperson?: (w: World) => Probe[] };

const TABLE: Record<string, Row> = {
  [`GET ${ACC}/account-change-records`]: { otherPartner: () => [nothing('GET', `${ACC}/account-change-records`)] },
  [`POST ${ACC}/adjust-amount`]: { otherPartner: (w) => [refused('POST', `${ACC}/adjust-amount`, { customer_id: w.customer, amount: '1.00', request_id: request_id() })] },
  [`PUT ${ACC}/balance-alert`]: { otherPartner: () => [nothing('PUT', `${ACC}/balance-alert`, { threshold: '1.00' })] },
  [`GET ${ACC}/balances`]: { otherPartner: () => [nothing('GET', `${ACC}/balances`)] },
  // A partner that is not the caller's tier-2 reseller is the partner API's 400 CBC.99000037.
  [`POST ${ACC}/indirect-partner-adjust`]: { otherPartner: (w) => [nothing('POST', `${ACC}/indirect-partner-adjust`, { indirect_partner_id: w.a, amount: '1.00', request_id: request_id() })] },
  [`POST ${ACC}/indirect-partner-reclaim`]: { otherPartner: (w) => [nothing('POST', `${ACC}/indirect-partner-reclaim`, { indirect_partner_id: w.a, amount: '1.00', request_id: request_id() })] },
  [`POST ${ACC}/reclaim`]: { otherPartner: (w) => [refused('POST', `${ACC}/reclaim`, { customer_id: w.customer, amount: '1.00', request_id: request_id() })] },
  [`GET ${ACC}/withdrawals`]: { otherPartner: () => [nothing('GET', `${ACC}/withdrawals`)] },
  [`POST ${ACC}/withdrawals`]: { otherPartner: () => [nothing('POST', `${ACC}/withdrawals`, { amount: '1.00', request_id: request_id() })] },
  [`DELETE ${ACC}/withdrawals/:withdrawal_id`]: { otherPartner: (w) => [refused('DELETE', `${ACC}/withdrawals/${w.withdrawal}`)] },
  [`GET ${ACC}/withdrawals/:withdrawal_id`]: { otherPartner: (w) => [refused('GET', `${ACC}/withdrawals/${w.withdrawal}`)] },
  'GET /v2/bills/export-tasks': { otherPartner: () => [nothing('GET', '/v2/bills/export-tasks')] },
  'POST /v2/bills/export-tasks': { otherPartner: () => [nothing('POST', '/v2/bills/export-tasks', { export_type: 'bill-details', bill_cycle: '2025-10' })] },
  'GET /v2/bills/export-tasks/:task_id': { otherPartner: (w) => [refused('GET', `/v2/bills/export-tasks/${w.task}`)] },
  'GET /v2/bills/export-tasks/:task_id/file': { otherPartner: (w) => [refused('GET', `/v2/bills/export-tasks/${w.task}/file`)] },
  'GET /v2/bills/partner-bills/postpaid-bill-summary': { otherPartner: () => [refused('GET', '/v2/bills/partner-bills/postpaid-bill-summary', undefined, { bill_cycle: '2025-10' })] },
  'GET /v2/bills/partner-bills/subcustomer-bills/monthly-sum': {
    otherPartner: (w) => [
      nothing('GET', '/v2/bills/partner-bills/subcustomer-bills/monthly-sum', undefined, { cycle: '2025-10', customer_id: w.customer }),
      nothing('GET', '/v2/bills/partner-bills/subcustomer-bills/monthly-sum', undefined, { cycle: '2025-10', indirect_partner_id: w.a }),
    ],
    otherSalesperson: (w) => [nothing('GET', '/v2/bills/partner-bills/subcustomer-bills/monthly-sum', undefined, { cycle: '2025-10', customer_id: w.customer })],
  },
  'GET /v2/bills/statements': { otherPartner: () => [nothing('GET', '/v2/bills/statements')] },
  'GET /v2/bills/statements/:statement_id': { otherPartner: (w) => [refused('GET', `/v2/bills/statements/${w.statement}`)] },
  'POST /v2/bills/statements/:statement_id/confirm': { otherPartner: (w) => [refused('POST', `/v2/bills/statements/${w.statement}/confirm`, { revision: 1 })] },
  'POST /v2/bills/statements/:statement_id/dispute': { otherPartner: (w) => [refused('POST', `/v2/bills/statements/${w.statement}/dispute`, { revision: 1, reason: 'not mine' })] },
  'GET /v2/bills/subcustomer-bills/res-fee-records': {
    otherPartner: (w) => [nothing('GET', '/v2/bills/subcustomer-bills/res-fee-records', undefined, { cycle: '2025-10', customer_id: w.customer })],
    otherSalesperson: (w) => [nothing('GET', '/v2/bills/subcustomer-bills/res-fee-records', undefined, { cycle: '2025-10', customer_id: w.customer })],
  },
  'POST /v2/partners/coupon-quotas/indirect-partner-adjust': { otherPartner: (w) => [nothing('POST', '/v2/partners/coupon-quotas/indirect-partner-adjust', { quota_id: w.quota, indirect_partner_ids: [w.a], quota_amount: '1.00' })] },
  'POST /v2/partners/coupon-quotas/indirect-partner-reclaim': { otherPartner: (w) => [nothing('POST', '/v2/partners/coupon-quotas/indirect-partner-reclaim', { quota_ids: [w.quota] })] },
  'POST /v2/partners/coupon-quotas/query': {
    otherPartner: (w) => [nothing('POST', '/v2/partners/coupon-quotas/query', { quota_ids: [w.quota] }), nothing('POST', '/v2/partners/coupon-quotas/query', { indirect_partner_id: w.a })],
  },
  'GET /v2/partners/coupon-quotas/records': { otherPartner: (w) => [nothing('GET', '/v2/partners/coupon-quotas/records', undefined, { quota_id: w.quota })] },
  'GET /v2/partners/issued-coupon-quotas': { otherPartner: () => [nothing('GET', '/v2/partners/issued-coupon-quotas')] },
  'GET /v2/promotions/benefits/coupons': { otherPartner: (w) => [nothing('GET', '/v2/promotions/benefits/coupons', undefined, { customer_id: w.customer })] },
  'GET /v2/promotions/benefits/partner-coupons': { otherPartner: () => [nothing('GET', '/v2/promotions/benefits/partner-coupons')] },
  'POST /v2/promotions/benefits/partner-coupons': { otherPartner: (w) => [nothing('POST', '/v2/promotions/benefits/partner-coupons', { quota_id: w.quota, customer_ids: [w.customer], face_value: '1.00' })] },
  'POST /v2/promotions/benefits/partner-coupons/reclaim': { otherPartner: (w) => [nothing('POST', '/v2/promotions/benefits/partner-coupons/reclaim', { coupon_ids: [w.quota] })] },
  'GET /v2/promotions/benefits/partner-coupons/records/query': { otherPartner: () => [nothing('GET', '/v2/promotions/benefits/partner-coupons/records/query')] },
  'GET /v3/accounts/partner-accounts/adjust-records': { otherPartner: (w) => [nothing('GET', '/v3/accounts/partner-accounts/adjust-records', undefined, { customer_id: w.customer })] },
};

const partnerRoutes = BillingService.routes(offlineEnv()).filter((r) => r.access === 'partner' && r.permissions.length > 0);

describe('billing-service tenancy', () => {
  it('has a row for every partner route the walk finds (the catalog, open to every member, aside), and salesperson probes where salespeople may go', () => {
    expect(Object.keys(TABLE).sort()).toEqual(partnerRoutes.map((r) => `${r.method} ${r.path}`).sort());
    const salesRoutes = partnerRoutes.filter((r) => r.permissions.includes('customers:own')).map((r) => `${r.method} ${r.path}`);
    expect(salesRoutes.filter((k) => !TABLE[k].otherSalesperson)).toEqual([]);
  });

  it('refuses partner B and another salesperson everything of partner A, and changes nothing of it', async () => {
    const a = await stack.createPartner();
    const b = await stack.createPartner();
    await stack.knowsPartner(a.partner_id);
    await stack.knowsPartner(b.partner_id);
    const salesperson = async (name: string) => {
      const m = await stack.operator('POST', `/operator/partners/${a.partner_id}/members`, { body: { name, role: 'salesperson' } });
      const key = await stack.operator('POST', `/operator/partners/${a.partner_id}/access-keys`, { body: { member_id: m.body.member_id } });
      return { id: m.body.member_id as string, key: key.body as PartnerCredentials };
    };
    const [alice, bob] = [await salesperson('Alice'), await salesperson('Bob')];
    const adminA = stack.partner(a);
    const customer = await stack.associate(a.partner_id, { effectiveFrom: '2024-01-01T00:00:00.000Z' });
    expect((await adminA('PUT', `/v2/partners/sub-customers/${customer}/account-manager`, { body: { member_id: alice.id } })).status).toBe(200);
    await waitFor(async () => (await stack.operator('GET', '/operator/billing/customer-ownership', { query: { customer_id: customer, n: String(Date.now()) } })).body.account_manager_id === alice.id, 'billing to know the manager');
    await stack.ingest([usageRecord(customer, { occurred_at: '2025-10-07T00:00:00.000Z', bill_cycle: '2025-10', official_amount: '77.77' })]);
    expect((await stack.operator('POST', '/operator/billing/accounts/recharge', { body: { partner_id: a.partner_id, amount: '500.00', request_id: request_id() } })).status).toBe(200);
    const quota = (await stack.operator('POST', '/operator/billing/coupon-quotas/grant', { body: { partner_id: a.partner_id, quota_amount: '300.00' } })).body.quota_id as string;
    const withdrawal = (await adminA('POST', `${ACC}/withdrawals`, { body: { amount: '12.34', request_id: request_id() } })).body.withdrawal_id as string;
    const task = (await adminA('POST', '/v2/bills/export-tasks', { body: { export_type: 'bill-details', bill_cycle: '2025-10' } })).body.task_id as string;
    const statement = randomUUID();
    await stack.dataSource.query(
      `INSERT INTO statements (id, partner_id, bill_cycle, currency, program, bill_id, bill_amount_minor, revision, status, generated_at) VALUES ($1, $2, '2025-09', 'CNY', 'strict-selection', $3, 7777, 1, 'pending', now())`,
      [statement, a.partner_id, randomUUID()],
    );
    expect([quota, withdrawal, task].every(Boolean)).toBe(true);
    const world: World = { a: a.partner_id, customer, quota, withdrawal, task, statement };
    // The same routes show A's own callers its data, so what the probes do not see is there to see.
    const own = await stack.partner(alice.key)('GET', '/v2/bills/subcustomer-bills/res-fee-records', { query: { cycle: '2025-10', customer_id: customer } });
    expect(JSON.stringify(own.body)).toContain('77.77');
    expect((await adminA('GET', `/v2/bills/statements/${statement}`)).status).toBe(200);
    expect((await adminA('GET', `${ACC}/withdrawals/${withdrawal}`)).status).toBe(200);

    const secrets = [a.partner_id, a.access_key, alice.id, customer, quota, withdrawal, task, statement, '77.77', '12.34', '500.00', '300.00'];
    const failures: unknown[] = [];
    let checked = 0;
    const check = (who: string, probe: Probe, res: ApiResponse) => {
      checked += 1;
      const sent = JSON.stringify([probe.path, probe.body, probe.query]);
      const leaked = secrets.filter((s) => !sent.includes(s) && JSON.stringify(res.body ?? '').includes(s));
      const shaped = typeof res.body?.error_code === 'string' && typeof res.body?.error_msg === 'string';
      const ok = probe.expect === 'refused' ? [403, 404].includes(res.status) && shaped && leaked.length === 0 : res.status < 500 && leaked.length === 0;
      if (!ok) failures.push({ who, route: `${probe.method} ${probe.path}`, status: res.status, leaked, body: res.body });
    };
    const asB = stack.partner(b);
    const asBob = stack.partner(bob.key);
    for (const row of Object.values(TABLE)) {
      for (const probe of row.otherPartner(world)) check('partner B', probe, await asB(probe.method, probe.path, { body: probe.body, query: probe.query }));
      for (const probe of row.otherSalesperson?.(world) ?? []) check('other salesperson', probe, await asBob(probe.method, probe.path, { body: probe.body, query: probe.query }));
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(35);

    // None reached the data: A's rows are as A left them.
    expect(await stack.dataSource.query(`SELECT status, deleted_at FROM withdrawals WHERE id = $1`, [withdrawal])).toEqual([{ status: 'applied', deleted_at: null }]);
    expect(await stack.dataSource.query(`SELECT status, decided_by FROM statements WHERE id = $1`, [statement])).toEqual([{ status: 'pending', decided_by: null }]);
    expect(await stack.dataSource.query(`SELECT balance_minor::text FROM coupon_quotas WHERE id = $1`, [quota])).toEqual([{ balance_minor: '30000' }]);
    expect(await stack.dataSource.query(`SELECT count(*)::int AS n FROM coupon_quotas WHERE issuer_partner_id = $1 OR partner_id = $2 AND id <> $3`, [b.partner_id, a.partner_id, quota])).toEqual([{ n: 0 }]);
  }, 180_000);
});
