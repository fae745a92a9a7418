import { CouponQuotaGrantedV1, CouponQuotaIssuedV1, CouponQuotaReclaimedV1 } from '@settle/contracts';
import { PartnerCredentials } from '@settle/testing';
import { BillingStack, startBillingStack } from '../testing/billing-stack';

/**
 * Voucher (coupon) quotas on the real stack (issue 4, capability 4): the platform grants a
 * top-level partner its quota; a distributor or tier-1 reseller issues parts of it to its own tier-2
 * resellers and reclaims what is unused; every movement is an immutable record and an event; the
 * balances never go below zero and can be re-derived from the records. Identical signed requests
 * within a second are replays, so repeated calls below differ (a `n` query parameter where needed).
 */
type Partner = PartnerCredentials & { partner_id: string };
let stack: BillingStack;
let distributor: Partner;
let r1: Partner;
let r2: Partner;
let other: Partner;
let otherReseller: Partner;
let d: ReturnType<BillingStack['partner']>;
let rootQuota: string;
let seq = 0;
const n = () => ({ n: String(++seq) });

async function partner(input: Record<string, unknown>): Promise<Partner> {
  const p = await stack.createPartner(input);
  await stack.knowsPartner(p.partner_id);
  return p;
}

async function memberKey(partnerId: string, role: string): Promise<PartnerCredentials> {
  const member = await stack.operator('POST', `/operator/partners/${partnerId}/members`, { body: { name: `${role} ${++seq}`, role } });
  expect(member.status).toBe(201);
  const key = await stack.operator('POST', `/operator/partners/${partnerId}/access-keys`, { body: { member_id: member.body.member_id } });
  expect(key.status).toBe(201);
  return key.body as PartnerCredentials;
}

async function grant(partnerId: string, quotaAmount: string, extra: Record<string, unknown> = {}) {
  const res = await stack.operator('POST', '/operator/billing/coupon-quotas/grant', { body: { partner_id: partnerId, quota_amount: quotaAmount, ...extra } });
  expect(res.status).toBe(201);
  return res.body.quota_id as string;
}

async function quota(call: ReturnType<BillingStack['partner']>, quotaId: string, indirectPartnerId?: string) {
  const res = await call('POST', '/v2/partners/coupon-quotas/query', { body: { quota_ids: [quotaId], ...(indirectPartnerId ? { indirect_partner_id: indirectPartnerId } : {}) }, query: n() });
  expect(res.status).toBe(200);
  return res.body.quotas[0];
}

beforeAll(async () => {
  stack = await startBillingStack();
  distributor = await partner({ kind: 'distributor' });
  r1 = await partner({ kind: 'reseller', tier: 2, parent_partner_id: distributor.partner_id, name: 'Reseller One' });
  r2 = await partner({ kind: 'reseller', tier: 2, parent_partner_id: distributor.partner_id, name: 'Reseller Two' });
  other = await partner({ kind: 'distributor' });
  otherReseller = await partner({ kind: 'reseller', tier: 2, parent_partner_id: other.partner_id });
  d = stack.partner(distributor);
}, 180_000);
afterAll(() => stack?.close(), 60_000);

describe('granting a top-level partner its voucher quota (operator)', () => {
  it('creates a quota with the exact amount and publishes the grant', async () => {
    const res = await stack.operator('POST', '/operator/billing/coupon-quotas/grant', {
      body: { partner_id: distributor.partner_id, quota_amount: '1000.00', expire_time: '2099-12-31T16:00:00Z', remark: 'FY quota' },
    });
    expect(res).toMatchObject({
      status: 201,
      body: { partner_id: distributor.partner_id, quota_type: 0, quota_value: '1000.00', balance: '1000.00', currency: 'CNY', measure_id: 1, quota_status: 0, parent_quota_id: null, expire_time: '2099-12-31T16:00:00.000Z' },
    });
    rootQuota = res.body.quota_id;
    const event = await stack.waitForEvent(CouponQuotaGrantedV1, (e) => e.quota_id === rootQuota);
    expect(event.data).toMatchObject({ partner_id: distributor.partner_id, amount: '1000.00', currency: 'CNY', operator: 'operator:test-operator' });

    const listed = await d('POST', '/v2/partners/coupon-quotas/query', { body: {} });
    expect(listed.body).toMatchObject({ total_count: 1, quotas: [{ quota_id: rootQuota, quota_value: '1000.00', balance: '1000.00', quota_status: 0 }] });
  });

  it('refuses bad amounts, tier-2 resellers and partners billing does not know', async () => {
    for (const quotaAmount of ['0', '-1', '1.234', 'abc', '', 1e20, '12345678901234']) {
      const res = await stack.operator('POST', '/operator/billing/coupon-quotas/grant', { body: { partner_id: distributor.partner_id, quota_amount: quotaAmount } });
      expect({ quotaAmount, status: res.status, code: res.body.error_code }).toEqual({ quotaAmount, status: 400, code: 'CBC.0100' });
    }
    const tier2 = await stack.operator('POST', '/operator/billing/coupon-quotas/grant', { body: { partner_id: r1.partner_id, quota_amount: '10' } });
    expect(tier2).toMatchObject({ status: 400, body: { error_code: 'CBC.0100', error_msg: expect.stringContaining('tier-2 reseller') } });
    const unknown = await stack.operator('POST', '/operator/billing/coupon-quotas/grant', { body: { partner_id: 'nobody-here', quota_amount: '10' } });
    expect(unknown).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });
    const past = await stack.operator('POST', '/operator/billing/coupon-quotas/grant', { body: { partner_id: distributor.partner_id, quota_amount: '10', expire_time: '2020-01-01T00:00:00Z' } });
    expect(past).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    const byPartner = await d('POST', '/operator/billing/coupon-quotas/grant', { body: { partner_id: distributor.partner_id, quota_amount: '10' } });
    expect([401, 403]).toContain(byPartner.status);
  });
});

describe('issuing quota to tier-2 resellers', () => {
  it('issues the amount to each of its own resellers from its quota, exactly, with events', async () => {
    const res = await d('POST', '/v2/partners/coupon-quotas/indirect-partner-adjust', {
      body: { quota_id: rootQuota, indirect_partner_ids: [r1.partner_id, r2.partner_id], quota_amount: '100.50' },
    });
    expect(res.status).toBe(200);
    expect(res.body.error_details).toEqual([]);
    expect(res.body.simple_quota_infos.map((i: { id: string }) => i.id)).toEqual([r1.partner_id, r2.partner_id]);
    const [q1, q2] = res.body.simple_quota_infos.map((i: { quota_id: string }) => i.quota_id);

    expect(await quota(d, rootQuota)).toMatchObject({ quota_value: '1000.00', balance: '799.00' });
    // The distributor sees a reseller's quota by naming the reseller; the reseller sees its own.
    expect(await quota(d, q1, r1.partner_id)).toMatchObject({ quota_value: '100.50', balance: '100.50', parent_quota_id: rootQuota, quota_status: 0, expire_time: '2099-12-31T16:00:00.000Z' });
    const own = await stack.partner(r2)('POST', '/v2/partners/coupon-quotas/query', { body: {} });
    expect(own.body).toMatchObject({ total_count: 1, quotas: [{ quota_id: q2, balance: '100.50' }] });

    const issued = await stack.waitForEvent(CouponQuotaIssuedV1, (e) => e.quota_id === q2);
    expect(issued.data).toMatchObject({ partner_id: distributor.partner_id, indirect_partner_id: r2.partner_id, parent_quota_id: rootQuota, amount: '100.50', quota_balance_after: '100.50', parent_quota_balance_after: '799.00' });
  });

  it("lists another partner's reseller, and an unknown id, in error_details with the same answer; nothing is issued to them", async () => {
    const foreign = await d('POST', '/v2/partners/coupon-quotas/indirect-partner-adjust', { body: { quota_id: rootQuota, indirect_partner_ids: [otherReseller.partner_id], quota_amount: '1' } });
    const missing = await d('POST', '/v2/partners/coupon-quotas/indirect-partner-adjust', { body: { quota_id: rootQuota, indirect_partner_ids: ['no-such-partner'], quota_amount: '1' } });
    expect(foreign).toMatchObject({
      status: 200,
      body: { simple_quota_infos: [], error_details: [{ indirect_partner_id: otherReseller.partner_id, error_code: 'CBC.99000037', error_msg: `Partner ${otherReseller.partner_id} is not one of your tier-2 resellers.` }] },
    });
    expect(missing).toMatchObject({
      status: 200,
      body: { simple_quota_infos: [], error_details: [{ indirect_partner_id: 'no-such-partner', error_code: 'CBC.99000037', error_msg: 'Partner no-such-partner is not one of your tier-2 resellers.' }] },
    });
    // Another distributor cannot use this quota, nor see the reseller's quotas.
    const stolen = await stack.partner(other)('POST', '/v2/partners/coupon-quotas/indirect-partner-adjust', { body: { quota_id: rootQuota, indirect_partner_ids: [otherReseller.partner_id], quota_amount: '1' } });
    expect(stolen).toMatchObject({ status: 400, body: { error_code: 'CBC.99000012' } });
    // The quota is judged before the resellers: naming none of its own does not turn that into a 200.
    const strangers = await stack.partner(other)('POST', '/v2/partners/coupon-quotas/indirect-partner-adjust', { body: { quota_id: rootQuota, indirect_partner_ids: [r1.partner_id], quota_amount: '1' } });
    expect(strangers).toMatchObject({ status: 400, body: { error_code: 'CBC.99000012' } });
    const peek = await stack.partner(other)('POST', '/v2/partners/coupon-quotas/query', { body: { indirect_partner_id: r1.partner_id } });
    expect(peek).toMatchObject({ status: 400, body: { error_code: 'CBC.99000037' } });
    expect(await quota(d, rootQuota)).toMatchObject({ balance: '799.00' });
  });

  it('refuses more than the balance (CBC.99000013) and bad amounts or lists (CBC.0100)', async () => {
    const tooMuch = await d('POST', '/v2/partners/coupon-quotas/indirect-partner-adjust', { body: { quota_id: rootQuota, indirect_partner_ids: [r1.partner_id, r2.partner_id], quota_amount: '399.51' } });
    expect(tooMuch).toMatchObject({ status: 400, body: { error_code: 'CBC.99000013', error_msg: expect.stringContaining('799.00 CNY left, 799.02 requested (399.51 × 2)') } });
    for (const body of [
      { quota_id: rootQuota, indirect_partner_ids: [r1.partner_id], quota_amount: '0' },
      { quota_id: rootQuota, indirect_partner_ids: [r1.partner_id], quota_amount: '-5' },
      { quota_id: rootQuota, indirect_partner_ids: [r1.partner_id], quota_amount: '1.001' },
      { quota_id: rootQuota, indirect_partner_ids: [r1.partner_id], quota_amount: 'ten' },
      { quota_id: rootQuota, indirect_partner_ids: [], quota_amount: '1' },
      { quota_id: rootQuota, indirect_partner_ids: [r1.partner_id, r1.partner_id], quota_amount: '1' },
      { quota_id: rootQuota, indirect_partner_ids: [r1.partner_id] },
      { quota_id: rootQuota, indirect_partner_ids: [r1.partner_id], quota_amount: '1', extra: true },
    ]) {
      const res = await d('POST', '/v2/partners/coupon-quotas/indirect-partner-adjust', { body });
      expect({ body, status: res.status, code: res.body.error_code }).toEqual({ body, status: 400, code: 'CBC.0100' });
    }
    expect(await quota(d, rootQuota)).toMatchObject({ balance: '799.00' });
  });

  it('lets admin and finance members in, and refuses a salesperson (403)', async () => {
    const finance = stack.partner(await memberKey(distributor.partner_id, 'finance'));
    const sales = stack.partner(await memberKey(distributor.partner_id, 'salesperson'));
    expect((await finance('POST', '/v2/partners/coupon-quotas/query', { body: { limit: 5 } })).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/v2/partners/coupon-quotas/query', {}],
      ['POST', '/v2/partners/coupon-quotas/indirect-partner-adjust', { quota_id: rootQuota, indirect_partner_ids: [r1.partner_id], quota_amount: '1' }],
      ['POST', '/v2/partners/coupon-quotas/indirect-partner-reclaim', { quota_ids: [rootQuota] }],
      ['GET', '/v2/partners/coupon-quotas/records', undefined],
    ] as const) {
      const res = await sales(method, path, { body });
      expect({ path, status: res.status, code: res.body.error_code }).toEqual({ path, status: 403, code: 'CBC.0151' });
    }
    expect(await quota(d, rootQuota)).toMatchObject({ balance: '799.00' });
  });
});

describe('reclaiming unused quota', () => {
  let q2: string;
  beforeAll(async () => {
    const mine = await d('POST', '/v2/partners/coupon-quotas/query', { body: { indirect_partner_id: r2.partner_id }, query: n() });
    q2 = mine.body.quotas[0].quota_id;
  });

  it('refuses to take back more than is unused (CBC.99005003), then takes part and then the rest', async () => {
    const tooMuch = await d('POST', '/v2/partners/coupon-quotas/indirect-partner-reclaim', { body: { quota_ids: [q2], amount: '100.51' } });
    expect(tooMuch).toMatchObject({
      status: 200,
      body: { simple_quota_infos: [], error_details: [{ quota_id: q2, error_code: 'CBC.99005003', error_msg: `Voucher quota ${q2} has 100.50 CNY unused; 100.51 cannot be reclaimed.` }] },
    });
    expect(await quota(d, q2, r2.partner_id)).toMatchObject({ balance: '100.50' });

    const part = await d('POST', '/v2/partners/coupon-quotas/indirect-partner-reclaim', { body: { quota_ids: [q2], amount: '0.50', remark: 'partial' } });
    // QuotaReclaim.quota_balance: what the quota holds after the reclaim; reclaimed_amount what came back.
    expect(part.body).toEqual({ error_details: [], simple_quota_infos: [{ quota_id: q2, quota_balance: '100.00', reclaimed_amount: '0.50' }] });
    expect(await quota(d, q2, r2.partner_id)).toMatchObject({ balance: '100.00', quota_status: 0 });
    expect(await quota(d, rootQuota)).toMatchObject({ balance: '799.50' });

    const rest = await d('POST', '/v2/partners/coupon-quotas/indirect-partner-reclaim', { body: { quota_ids: [q2], remark: 'all back' } });
    expect(rest.body).toEqual({ error_details: [], simple_quota_infos: [{ quota_id: q2, quota_balance: '0.00', reclaimed_amount: '100.00' }] });
    expect(await quota(d, q2, r2.partner_id)).toMatchObject({ quota_value: '100.50', balance: '0.00', quota_status: 6 });
    expect(await quota(d, rootQuota)).toMatchObject({ balance: '899.50' });
    const event = await stack.waitForEvent(CouponQuotaReclaimedV1, (e) => e.quota_id === q2 && e.remark === 'all back');
    expect(event.data).toMatchObject({ amount: '100.00', quota_balance_after: '0.00', parent_quota_balance_after: '899.50', indirect_partner_id: r2.partner_id });

    const nothingLeft = await d('POST', '/v2/partners/coupon-quotas/indirect-partner-reclaim', { body: { quota_ids: [q2] } });
    expect(nothingLeft).toMatchObject({ status: 200, body: { simple_quota_infos: [], error_details: [{ quota_id: q2, error_code: 'CBC.99000012', error_msg: expect.stringContaining('nothing left') }] } });
  });

  it("answers another partner's, a root or an unknown quota as absent, and refuses bad input", async () => {
    const foreign = await stack.partner(other)('POST', '/v2/partners/coupon-quotas/indirect-partner-reclaim', { body: { quota_ids: [q2] } });
    expect(foreign).toMatchObject({ status: 200, body: { simple_quota_infos: [], error_details: [{ quota_id: q2, error_code: 'CBC.99000012', error_msg: `Voucher quota ${q2} does not exist or is not yours to use.` }] } });
    const root = await d('POST', '/v2/partners/coupon-quotas/indirect-partner-reclaim', { body: { quota_ids: [rootQuota, 'no-such-quota'] } });
    expect(root).toMatchObject({
      status: 200,
      body: { simple_quota_infos: [], error_details: [{ quota_id: rootQuota, error_code: 'CBC.99000012' }, { quota_id: 'no-such-quota', error_code: 'CBC.99000012' }] },
    });
    expect(await quota(d, rootQuota)).toMatchObject({ balance: '899.50' });
    for (const body of [{ quota_ids: [] }, { quota_ids: [q2, q2] }, { quota_ids: Array.from({ length: 11 }, (_, i) => `q${i}`) }, { quota_ids: [q2], amount: '0' }, { quota_ids: [q2], remark: 'x'.repeat(257) }]) {
      const res = await d('POST', '/v2/partners/coupon-quotas/indirect-partner-reclaim', { body });
      expect(res).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    }
  });
});

describe('issue and reclaim records', () => {
  it('lists every movement with who, when, amounts and balances before and after, with filters and paging', async () => {
    const all = await d('GET', '/v2/partners/coupon-quotas/records');
    expect(all.body.total_count).toBe(4);
    expect(all.body.records.map((r: { operation_type: string }) => r.operation_type).sort()).toEqual(['10', '10', '11', '11']);
    const reclaims = await d('GET', '/v2/partners/coupon-quotas/records', { query: { operation_type: '11' } });
    expect(reclaims.body.total_count).toBe(2);
    const [last, first] = reclaims.body.records;
    expect(first).toMatchObject({ amount: '0.50', quota_balance_before: '100.50', quota_balance_after: '100.00', parent_quota_balance_before: '799.00', parent_quota_balance_after: '799.50', remark: 'partial', result: '0' });
    expect(last).toMatchObject({ amount: '100.00', quota_balance_before: '100.00', quota_balance_after: '0.00', parent_quota_balance_after: '899.50', indirect_partner_name: 'Reseller Two' });
    expect(last.operator).toMatch(/^partner:[A-Z0-9]{20}$/);
    expect(Date.parse(last.operation_time)).toBeGreaterThanOrEqual(Date.parse(first.operation_time));

    const page1 = await d('GET', '/v2/partners/coupon-quotas/records', { query: { limit: 3 } });
    const page2 = await d('GET', '/v2/partners/coupon-quotas/records', { query: { limit: 3, offset: 3 } });
    expect(page1.body.records).toHaveLength(3);
    expect(page2.body).toMatchObject({ total_count: 4, records: [expect.anything()] });
    expect(new Set([...page1.body.records, ...page2.body.records].map((r: { id: string }) => r.id)).size).toBe(4);

    const forR2 = await d('GET', '/v2/partners/coupon-quotas/records', { query: { indirect_partner_id: r2.partner_id } });
    expect(forR2.body.total_count).toBe(3);
    const byParent = await d('GET', '/v2/partners/coupon-quotas/records', { query: { parent_quota_id: rootQuota, operation_type: '10' } });
    expect(byParent.body.total_count).toBe(2);
    const future = await d('GET', '/v2/partners/coupon-quotas/records', { query: { operation_time_begin: '2099-01-01T00:00:00Z' } });
    expect(future.body).toEqual({ total_count: 0, records: [] });
  });

  it("shows a reseller its own records and nobody else's", async () => {
    const mine = await stack.partner(r2)('GET', '/v2/partners/coupon-quotas/records');
    expect(mine.body.total_count).toBe(3);
    const outsider = await stack.partner(other)('GET', '/v2/partners/coupon-quotas/records');
    expect(outsider.body).toEqual({ total_count: 0, records: [] });
    const peek = await stack.partner(other)('GET', '/v2/partners/coupon-quotas/records', { query: { indirect_partner_id: r2.partner_id } });
    expect(peek).toMatchObject({ status: 400, body: { error_code: 'CBC.99000037' } });
  });

  it('refuses bad filters and paging with 400', async () => {
    for (const query of [{ operation_type: '12' }, { limit: 0 }, { limit: 101 }, { offset: -1 }, { operation_time_begin: 'yesterday' }, { sort: 'asc' }]) {
      const res = await d('GET', '/v2/partners/coupon-quotas/records', { query });
      expect({ query, status: res.status, code: res.body.error_code }).toEqual({ query, status: 400, code: 'CBC.0100' });
    }
    for (const body of [{ limit: 0 }, { quota_status_list: [2] }, { quota_type: 7 }, { create_time_begin: '2020-13-01' }, { unknown: 1 }]) {
      const res = await d('POST', '/v2/partners/coupon-quotas/query', { body });
      expect({ body, status: res.status, code: res.body.error_code }).toEqual({ body, status: 400, code: 'CBC.0100' });
    }
  });

  it('keeps records immutable in the database', async () => {
    await expect(stack.dataSource.query(`UPDATE coupon_quota_records SET amount_minor = 1`)).rejects.toThrow('coupon quota records are immutable');
    await expect(stack.dataSource.query(`DELETE FROM coupon_quota_records`)).rejects.toThrow('coupon quota records are immutable');
  });
});

describe('quota status and filters', () => {
  it('filters by status and shows a quota past its expiry as invalid (3), which no longer issues', async () => {
    const reclaimed = await d('POST', '/v2/partners/coupon-quotas/query', { body: { indirect_partner_id: r2.partner_id, quota_status_list: [6] } });
    expect(reclaimed.body).toMatchObject({ total_count: 1, quotas: [{ quota_status: 6 }] });
    const cash = await d('POST', '/v2/partners/coupon-quotas/query', { body: { quota_type: 1 } });
    expect(cash.body).toEqual({ total_count: 0, quotas: [] });

    const shortLived = await grant(distributor.partner_id, '5.00', { expire_time: new Date(Date.now() + 1500).toISOString() });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await quota(d, shortLived)).toMatchObject({ quota_status: 3, balance: '5.00' });
    const invalid = await d('POST', '/v2/partners/coupon-quotas/query', { body: { quota_status_list: [3] } });
    expect(invalid.body.quotas.map((q: { quota_id: string }) => q.quota_id)).toEqual([shortLived]);
    const expired = await d('POST', '/v2/partners/coupon-quotas/indirect-partner-adjust', { body: { quota_id: shortLived, indirect_partner_ids: [r1.partner_id], quota_amount: '1' } });
    expect(expired).toMatchObject({ status: 400, body: { error_code: 'CBC.99000017' } });
    const byExpiry = await d('POST', '/v2/partners/coupon-quotas/query', { body: { expire_time_begin: '2099-01-01T00:00:00Z' } });
    expect(byExpiry.body.quotas.map((q: { quota_id: string }) => q.quota_id)).toEqual([rootQuota]);
  });
});

describe('batches are answered per item', () => {
  it('issues to the resellers that are the caller\'s and lists the others; refuses the whole issue when the quota cannot cover it', async () => {
    const tier1 = await partner({ kind: 'reseller', tier: 1 });
    const [c1, c2] = [await partner({ kind: 'reseller', tier: 2, parent_partner_id: tier1.partner_id }), await partner({ kind: 'reseller', tier: 2, parent_partner_id: tier1.partner_id })];
    const source = await grant(tier1.partner_id, '100.00');
    const call = stack.partner(tier1);

    const mixed = await call('POST', '/v2/partners/coupon-quotas/indirect-partner-adjust', {
      body: { quota_id: source, indirect_partner_ids: [c1.partner_id, otherReseller.partner_id, 'ghost', c2.partner_id], quota_amount: '10.00' },
    });
    expect(mixed.status).toBe(200);
    expect(mixed.body.error_details).toEqual([
      { id: otherReseller.partner_id, indirect_partner_id: otherReseller.partner_id, error_code: 'CBC.99000037', error_msg: `Partner ${otherReseller.partner_id} is not one of your tier-2 resellers.` },
      { id: 'ghost', indirect_partner_id: 'ghost', error_code: 'CBC.99000037', error_msg: 'Partner ghost is not one of your tier-2 resellers.' },
    ]);
    expect(mixed.body.simple_quota_infos.map((i: { id: string }) => i.id)).toEqual([c1.partner_id, c2.partner_id]);
    const [q1, q2] = mixed.body.simple_quota_infos.map((i: { quota_id: string }) => i.quota_id);
    // ListIssuedCouponQuotas: what the caller issued, with the reseller on each; a reseller's own caller issued none.
    const listed = await call('GET', '/v2/partners/issued-coupon-quotas', { query: { parent_quota_id: source } });
    expect(listed.body.total_count).toBe(2);
    expect(listed.body.quotas.map((q: Record<string, string>) => [q.quota_id, q.indirect_partner_id, q.parent_quota_id, q.balance]).sort()).toEqual(
      [[q1, c1.partner_id, source, '10.00'], [q2, c2.partner_id, source, '10.00']].sort(),
    );
    expect((await call('GET', '/v2/partners/issued-coupon-quotas', { query: { indirect_partner_id: c2.partner_id } })).body.quotas.map((q: { quota_id: string }) => q.quota_id)).toEqual([q2]);
    expect((await stack.partner(c1)('GET', '/v2/partners/issued-coupon-quotas')).body).toEqual({ total_count: 0, quotas: [] });
    expect(await quota(call, source)).toMatchObject({ balance: '80.00' });
    const foreignHeld = await stack.operator('GET', '/operator/billing/coupon-quotas', { query: { partner_id: otherReseller.partner_id } });
    expect(foreignHeld.body.quotas).toEqual([]);

    // 2 × 45.00 = 90.00 > 80.00: nothing is issued, not one reseller's share.
    const tooMuch = await call('POST', '/v2/partners/coupon-quotas/indirect-partner-adjust', { body: { quota_id: source, indirect_partner_ids: [c1.partner_id, c2.partner_id, 'ghost'], quota_amount: '45.00' } });
    expect(tooMuch).toMatchObject({ status: 400, body: { error_code: 'CBC.99000013', error_msg: expect.stringContaining('80.00 CNY left, 90.00 requested (45.00 × 2)') } });
    expect(await quota(call, source)).toMatchObject({ balance: '80.00' });

    // Reclaim 4.00 from each: q1 and q2 give it back, an unknown quota and the root are listed.
    const part = await call('POST', '/v2/partners/coupon-quotas/indirect-partner-reclaim', { body: { quota_ids: [q1, 'no-such-quota', q2, source], amount: '4.00' } });
    expect(part.body).toEqual({
      error_details: [
        { id: 'no-such-quota', quota_id: 'no-such-quota', error_code: 'CBC.99000012', error_msg: 'Voucher quota no-such-quota does not exist or is not yours to use.' },
        { id: source, quota_id: source, error_code: 'CBC.99000012', error_msg: `Voucher quota ${source} does not exist or is not yours to use.` },
      ],
      simple_quota_infos: [
        { quota_id: q1, quota_balance: '6.00', reclaimed_amount: '4.00' },
        { quota_id: q2, quota_balance: '6.00', reclaimed_amount: '4.00' },
      ],
    });
    // 7.00 from each: q1 and q2 have 6.00 left, both are listed and nothing moves.
    const over = await call('POST', '/v2/partners/coupon-quotas/indirect-partner-reclaim', { body: { quota_ids: [q1, q2], amount: '7.00' } });
    expect(over.body.simple_quota_infos).toEqual([]);
    expect(over.body.error_details.map((e: { quota_id: string; error_code: string }) => [e.quota_id, e.error_code])).toEqual([
      [q1, 'CBC.99005003'],
      [q2, 'CBC.99005003'],
    ]);
    // Everything unused of q1, then of both: q1 has nothing left and is listed, q2 gives its 6.00.
    await call('POST', '/v2/partners/coupon-quotas/indirect-partner-reclaim', { body: { quota_ids: [q1] } });
    const rest = await call('POST', '/v2/partners/coupon-quotas/indirect-partner-reclaim', { body: { quota_ids: [q1, q2], remark: 'rest' } });
    expect(rest.body).toMatchObject({ error_details: [{ quota_id: q1, error_code: 'CBC.99000012' }], simple_quota_infos: [{ quota_id: q2, quota_balance: '0.00', reclaimed_amount: '6.00' }] });
    expect(await quota(call, source)).toMatchObject({ balance: '100.00', quota_value: '100.00' });
    const records = await call('GET', '/v2/partners/coupon-quotas/records', { query: { quota_id: q1 } });
    expect(records.body.records.map((r: { operation_type: string; amount: string }) => `${r.operation_type}:${r.amount}`).sort()).toEqual(['10:10.00', '11:4.00', '11:6.00']);
    const check = await stack.operator('GET', '/operator/billing/coupon-quotas/check', { query: { partner_id: tier1.partner_id } });
    expect(check.body).toMatchObject({ mismatches: [], checked: 3 });
  });
});

describe('concurrency', () => {
  it('never overdraws: 20 concurrent issues of 10.00 from 150.00 give exactly 15, and the books re-derive', async () => {
    const tier1 = await partner({ kind: 'reseller', tier: 1 });
    const child = await partner({ kind: 'reseller', tier: 2, parent_partner_id: tier1.partner_id });
    const source = await grant(tier1.partner_id, '150.00');
    const call = stack.partner(tier1);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call('POST', '/v2/partners/coupon-quotas/indirect-partner-adjust', { body: { quota_id: source, indirect_partner_ids: [child.partner_id], quota_amount: '10.00' }, query: { n: String(i) } }),
      ),
    );
    const statuses = results.map((r) => (r.status === 200 ? 'ok' : r.body.error_code)).sort();
    expect(statuses).toEqual([...Array(5).fill('CBC.99000013'), ...Array(15).fill('ok')]);
    expect(await quota(call, source)).toMatchObject({ balance: '0.00', quota_value: '150.00' });
    const held = await stack.operator('GET', '/operator/billing/coupon-quotas', { query: { partner_id: child.partner_id } });
    expect(held.body.quotas).toHaveLength(15);
    expect(held.body.quotas.every((q: { balance: string; parent_quota_id: string }) => q.balance === '10.00' && q.parent_quota_id === source)).toBe(true);

    for (const p of [tier1.partner_id, distributor.partner_id]) {
      const check = await stack.operator('GET', '/operator/billing/coupon-quotas/check', { query: { partner_id: p } });
      expect(check.body).toMatchObject({ partner_id: p, mismatches: [] });
      expect(check.body.checked).toBeGreaterThan(0);
    }
  });
});
