import { AssociationEndedV1, CustomerAssociatedV1, CustomerVouchersVoidedV1 } from '@settle/contracts';
import { waitFor } from '@settle/testing';
import { CustomerStack, startCustomerStack } from '../testing/customer-stack';

let stack: CustomerStack;
beforeAll(async () => {
  stack = await startCustomerStack();
}, 120_000);
afterAll(() => stack?.close(), 60_000);

let seq = 0;
async function registerCustomer(extra: Record<string, unknown> = {}) {
  seq += 1;
  const res = await stack.operator('POST', '/operator/customers', {
    body: { domain_name: `cust_${Date.now().toString(36)}_${seq}`, name: '张三丰', mobile_phone: '13812345678', email: 'zhang@example.com', ...extra },
  });
  expect(res.status).toBe(201);
  return res.body as { customer_id: string; domain_name: string };
}

async function associate(partnerId: string, customerId: string, extra: Record<string, unknown> = {}) {
  return stack.operator('POST', '/operator/associations', { body: { partner_id: partnerId, customer_id: customerId, association_type: 2, ...extra } });
}

const clean = { unclosed_resources: 0, has_arrears: false, cash_balance: '0.00', has_uninvoiced_amount: false, postpaid: false, special_contract: false };

describe('customer association rules', () => {
  it('refuses a customer that breaks eligibility rules, naming each rule with its code, and admits it once settled', async () => {
    const partner = await stack.createPartner();
    const customer = await registerCustomer();
    await stack.operator('PUT', `/operator/customers/${customer.customer_id}/standing`, { body: { ...clean, has_arrears: true, cash_balance: '12.50', unclosed_resources: 1 } });
    const refused = await associate(partner.partner_id, customer.customer_id);
    expect(refused.status).toBe(409);
    expect(refused.body.error_code).toBe('CBC.7001');
    expect(refused.body.refusals.map((r: { error_code: string }) => r.error_code)).toEqual(['CBC.7001', 'CBC.7002', 'CBC.7003']);

    await stack.operator('PUT', `/operator/customers/${customer.customer_id}/standing`, { body: clean });
    const admitted = await associate(partner.partner_id, customer.customer_id);
    expect(admitted.status).toBe(201);

    const other = await stack.createPartner();
    const second = await associate(other.partner_id, customer.customer_id);
    expect(second).toMatchObject({ status: 409, body: { error_code: 'CBC.7007' } });
  });

  it('voids the unused vouchers of a customer that joins a partner and publishes what was voided', async () => {
    const partner = await stack.createPartner();
    const customer = await registerCustomer();
    const v1 = await stack.operator('POST', `/operator/customers/${customer.customer_id}/vouchers`, { body: { kind: 'voucher', face_value: '100.00', currency: 'CNY' } });
    const v2 = await stack.operator('POST', `/operator/customers/${customer.customer_id}/vouchers`, { body: { kind: 'stored-value-card', face_value: '0.05', currency: 'CNY' } });
    expect(await associate(partner.partner_id, customer.customer_id)).toMatchObject({ status: 201 });

    const vouchers = await stack.operator('GET', `/operator/customers/${customer.customer_id}/vouchers`);
    expect(vouchers.body.vouchers.map((v: { status: string }) => v.status)).toEqual(['void', 'void']);
    const event = await stack.waitForEvent(CustomerVouchersVoidedV1, (d) => d.customer_id === customer.customer_id);
    expect(event.data).toMatchObject({
      partner_id: partner.partner_id,
      vouchers: [
        { voucher_id: v1.body.voucher_id, kind: 'voucher', face_value: '100.00', currency: 'CNY' },
        { voucher_id: v2.body.voucher_id, kind: 'stored-value-card', face_value: '0.05', currency: 'CNY' },
      ],
    });
    await stack.waitForEvent(CustomerAssociatedV1, (d) => d.customer_id === customer.customer_id && d.association_type === 2);
  });

  it('ends an association at a timestamp and answers who owned the customer, in which mode, at any time', async () => {
    const a = await stack.createPartner();
    const b = await stack.createPartner();
    const customer = await registerCustomer();
    expect((await associate(a.partner_id, customer.customer_id, { association_type: 1, effective_from: '2026-01-01T00:00:00Z' })).status).toBe(201);
    const ended = await stack.operator('POST', '/operator/associations/end', { body: { customer_id: customer.customer_id, effective_to: '2026-03-01T00:00:00Z', reason: 'customer left' } });
    expect(ended).toMatchObject({ status: 200, body: { partner_id: a.partner_id, effective_to: '2026-03-01T00:00:00.000Z', ended_reason: 'customer left' } });
    expect((await associate(b.partner_id, customer.customer_id, { effective_from: '2026-03-01T00:00:00Z' })).status).toBe(201);

    const owner = (at: string) => stack.operator('GET', `/operator/customers/${customer.customer_id}/owner`, { query: { at } });
    expect((await owner('2026-02-15T12:00:00Z')).body).toMatchObject({ partner_id: a.partner_id, association_type: 1 });
    expect((await owner('2026-03-01T00:00:00Z')).body).toMatchObject({ partner_id: b.partner_id, association_type: 2 });
    expect((await owner('2025-12-31T23:59:59Z')).status).toBe(404);
    expect((await owner('yesterday')).status).toBe(400);

    const history = await stack.operator('GET', `/operator/customers/${customer.customer_id}/associations`);
    expect(history.body.associations.map((h: { partner_id: string }) => h.partner_id)).toEqual([a.partner_id, b.partner_id]);
    const endedEvent = await stack.waitForEvent(AssociationEndedV1, (d) => d.customer_id === customer.customer_id);
    expect(endedEvent.data).toMatchObject({ partner_id: a.partner_id, effective_from: '2026-01-01T00:00:00.000Z', effective_to: '2026-03-01T00:00:00.000Z', reason: 'customer left' });

    const early = await stack.operator('POST', '/operator/associations/end', { body: { customer_id: customer.customer_id, effective_to: '2026-02-01T00:00:00Z', reason: 'x' } });
    expect(early.status).toBe(400);
  });
});

describe('the partner customer list and detail', () => {
  it('masks personal data by default and reveals one field once asked, with an audit record', async () => {
    const partner = await stack.createPartner();
    const customer = await registerCustomer();
    await associate(partner.partner_id, customer.customer_id);
    const call = stack.partner(partner);

    const list = await call('POST', '/v2/partners/sub-customers/query', { body: { customer_id: customer.customer_id } });
    expect(list.body.customer_infos).toEqual([
      expect.objectContaining({ customer_id: customer.customer_id, customer: '张**', mobile_phone: '138****5678', email: 'z***@example.com', association_type: '2' }),
    ]);
    const detail = await call('GET', `/v2/partners/sub-customers/${customer.customer_id}`);
    expect(detail.body).toMatchObject({ mobile_phone: '138****5678', customer: '张**' });
    expect(JSON.stringify(detail.body)).not.toContain('13812345678');

    expect((await stack.operator('GET', `/operator/customers/${customer.customer_id}/audit-records`)).body.records).toEqual([]);
    const revealed = await call('POST', `/v2/partners/sub-customers/${customer.customer_id}/reveal`, { body: { field: 'mobile' } });
    expect(revealed).toMatchObject({ status: 200, body: { field: 'mobile', value: '13812345678' } });
    const audit = await stack.operator('GET', `/operator/customers/${customer.customer_id}/audit-records`);
    expect(audit.body.records).toEqual([expect.objectContaining({ partner_id: partner.partner_id, access_key: partner.access_key, action: 'reveal', field: 'mobile' })]);
    expect((await call('POST', `/v2/partners/sub-customers/${customer.customer_id}/reveal`, { body: { field: 'password' } })).status).toBe(400);
  });

  it('filters by account name, customer name, label, mode and association time, and pages with limit ≤ 100', async () => {
    const partner = await stack.createPartner();
    const call = stack.partner(partner);
    const c1 = await registerCustomer({ domain_name: `alpha_${Date.now().toString(36)}`, name: 'Alpha Ltd' });
    const c2 = await registerCustomer({ domain_name: `beta_${Date.now().toString(36)}`, name: 'Beta Inc' });
    await associate(partner.partner_id, c1.customer_id, { association_type: 1, effective_from: '2026-05-01T00:00:00Z' });
    await associate(partner.partner_id, c2.customer_id, { association_type: 2, effective_from: '2026-07-01T00:00:00Z' });
    expect((await call('PUT', `/v2/partners/sub-customers/${c2.customer_id}/labels`, { body: { labels: ['vip', 'north'] } })).body.labels).toEqual(['north', 'vip']);

    const ids = async (body: Record<string, unknown>) => (await call('POST', '/v2/partners/sub-customers/query', { body })).body.customer_infos.map((c: { customer_id: string }) => c.customer_id);
    expect(await ids({})).toEqual([c2.customer_id, c1.customer_id]);
    expect(await ids({ account_name: 'lph' })).toEqual([c1.customer_id]);
    expect(await ids({ customer: 'beta' })).toEqual([c2.customer_id]);
    expect(await ids({ label: 'vi' })).toEqual([c2.customer_id]);
    expect(await ids({ association_type: '1' })).toEqual([c1.customer_id]);
    expect(await ids({ associated_on_begin: '2026-06-01T00:00:00Z' })).toEqual([c2.customer_id]);
    expect(await ids({ associated_on_end: '2026-06-01T00:00:00Z' })).toEqual([c1.customer_id]);
    expect(await ids({ offset: 1, limit: 1 })).toEqual([c1.customer_id]);
    expect(await ids({ account_name: '%' })).toEqual([]);

    const tooMany = await call('POST', '/v2/partners/sub-customers/query', { body: { limit: 101 } });
    expect(tooMany).toMatchObject({ status: 400, body: { error_code: 'CBC.0100', error_msg: expect.stringMatching(/limit/) } });
    expect((await call('POST', '/v2/partners/sub-customers/query', { body: { account_name: 'a b' } })).status).toBe(400);
  });

  it('never lets one partner read or change another partner’s customers', async () => {
    const a = await stack.createPartner();
    const b = await stack.createPartner();
    const customer = await registerCustomer();
    await associate(a.partner_id, customer.customer_id);
    const asB = stack.partner(b);
    expect((await asB('POST', '/v2/partners/sub-customers/query', { body: { customer_id: customer.customer_id } })).body).toEqual({ count: 0, customer_infos: [] });
    for (const [method, path, body] of [
      ['GET', `/v2/partners/sub-customers/${customer.customer_id}`, undefined],
      ['POST', `/v2/partners/sub-customers/${customer.customer_id}/reveal`, { field: 'mobile' }],
      ['PUT', `/v2/partners/sub-customers/${customer.customer_id}/labels`, { labels: ['mine'] }],
      ['POST', `/v2/partners/sub-customers/${customer.customer_id}/contacts`, { name: 'Eve' }],
      ['PUT', `/v2/partners/sub-customers/${customer.customer_id}/account-manager`, { member_id: 'm1' }],
    ] as const) {
      const res = await asB(method, path, { body });
      expect({ path, status: res.status, code: res.body.error_code }).toEqual({ path, status: 404, code: 'CBC.0101' });
    }
    expect((await stack.operator('GET', `/operator/customers/${customer.customer_id}/audit-records`)).body.records).toEqual([]);
  });

  it('shows the partner’s contacts to the customer', async () => {
    const partner = await stack.createPartner();
    const customer = await registerCustomer();
    await associate(partner.partner_id, customer.customer_id);
    const added = await stack.partner(partner)('POST', `/v2/partners/sub-customers/${customer.customer_id}/contacts`, { body: { name: 'Li Lei', mobile: '13900000000' } });
    expect(added.status).toBe(201);
    const shown = await stack.operator('GET', `/operator/customer-console/customers/${customer.customer_id}/contacts`);
    expect(shown.body).toEqual({ customer_id: customer.customer_id, partner_id: partner.partner_id, contacts: [{ name: 'Li Lei', mobile_phone: '13900000000', email: null }] });
  });
});

describe('creating a customer through the partner API', () => {
  it('creates an agency-sale customer at once and completes the association asynchronously', async () => {
    const partner = await stack.createPartner();
    const call = stack.partner(partner);
    const created = await call('POST', '/v2/partners/sub-customers', { body: { xaccount_id: 'x-1', xaccount_type: 'SETTLE_IDP', domain_name: `api_${Date.now().toString(36)}` } });
    expect(created).toMatchObject({ status: 200, body: { domain_id: expect.any(String), domain_name: expect.stringMatching(/^api_/) } });
    const listed = await waitFor(async () => {
      const res = await call('POST', '/v2/partners/sub-customers/query', { body: { customer_id: created.body.domain_id } });
      return res.body.count === 1 ? res.body.customer_infos[0] : undefined;
    }, 'the created customer to be associated');
    expect(listed).toMatchObject({ customer_id: created.body.domain_id, association_type: '2' });
    const again = await call('POST', '/v2/partners/sub-customers', { body: { xaccount_id: 'x-2', xaccount_type: 'SETTLE_IDP', domain_name: created.body.domain_name } });
    expect(again.status).toBe(409);
  });

  it('requires a verification code when a mobile number is given, and validates fields as the public API', async () => {
    const partner = await stack.createPartner();
    const call = stack.partner(partner);
    const noCode = await call('POST', '/v2/partners/sub-customers', { body: { xaccount_id: 'x', xaccount_type: 'T', mobile_phone: '13800000001' } });
    expect(noCode).toMatchObject({ status: 400, body: { error_code: 'CBC.0100', error_msg: expect.stringMatching(/verification_code/) } });
    const badName = await call('POST', '/v2/partners/sub-customers', { body: { xaccount_id: 'x', xaccount_type: 'T', domain_name: 'op_admin' } });
    expect(badName).toMatchObject({ status: 400, body: { error_msg: expect.stringMatching(/domain_name/) } });
    const missing = await call('POST', '/v2/partners/sub-customers', { body: { xaccount_type: 'T' } });
    expect(missing).toMatchObject({ status: 400, body: { error_msg: expect.stringMatching(/xaccount_id/) } });
  });

  it('records a tier-2 reseller of the partner as the indirect partner, filters by it, and refuses anyone else’s reseller', async () => {
    const distributor = await stack.createPartner({ kind: 'distributor' });
    const reseller = await stack.createPartner({ kind: 'reseller', tier: 2, parent_partner_id: distributor.partner_id });
    const otherDistributor = await stack.createPartner({ kind: 'distributor' });
    const foreignReseller = await stack.createPartner({ kind: 'reseller', tier: 2, parent_partner_id: otherDistributor.partner_id });
    const call = stack.partner(distributor);
    const created = await call('POST', '/v2/partners/sub-customers', { body: { xaccount_id: 'x-ind', xaccount_type: 'SETTLE_IDP', indirect_partner_id: reseller.partner_id } });
    expect(created.status).toBe(200);
    const customerId = created.body.domain_id as string;
    const listed = await waitFor(async () => {
      const res = await call('POST', '/v2/partners/sub-customers/query', { body: { indirect_partner_id: reseller.partner_id } });
      return res.body.count === 1 ? res.body.customer_infos[0] : undefined;
    }, 'the customer listed under its indirect partner');
    expect(listed).toMatchObject({ customer_id: customerId, indirect_partner_id: reseller.partner_id });
    expect((await call('POST', '/v2/partners/sub-customers/query', { body: { indirect_partner_id: foreignReseller.partner_id } })).body).toEqual({ count: 0, customer_infos: [] });
    for (const id of [foreignReseller.partner_id, otherDistributor.partner_id, distributor.partner_id]) {
      const refused = await call('POST', '/v2/partners/sub-customers', { body: { xaccount_id: `x-${id}`, xaccount_type: 'SETTLE_IDP', indirect_partner_id: id } });
      expect(refused).toMatchObject({ status: 400, body: { error_code: 'CBC.0100', error_msg: `indirect_partner_id: ${id} is not one of your tier-2 resellers.` } });
    }
  });
});
