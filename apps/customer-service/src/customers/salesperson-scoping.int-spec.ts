import { AccountManagerAssignedV1 } from '@settle/contracts';
import { PartnerCredentials, waitFor } from '@settle/testing';
import { CustomerStack, startCustomerStack } from '../testing/customer-stack';

/**
 * Salesperson scoping (issue 3, capability 6): a key bound to a salesperson acts as that member and
 * sees only the customers assigned to them; the admin assigns and reassigns; ids of other
 * salespeople's customers answer exactly like ids that do not exist.
 */
let stack: CustomerStack;
beforeAll(async () => {
  stack = await startCustomerStack();
}, 120_000);
afterAll(() => stack?.close(), 60_000);

let seq = 0;
async function customerOf(partnerId: string): Promise<string> {
  seq += 1;
  const registered = await stack.operator('POST', '/operator/customers', {
    body: { domain_name: `scoped_${Date.now().toString(36)}_${seq}`, name: '王小明', mobile_phone: '13811112222', email: 'wang@example.com' },
  });
  expect(registered.status).toBe(201);
  const associated = await stack.operator('POST', '/operator/associations', { body: { partner_id: partnerId, customer_id: registered.body.customer_id, association_type: 2 } });
  expect(associated.status).toBe(201);
  return registered.body.customer_id as string;
}

async function member(partnerId: string, role: string): Promise<string> {
  const res = await stack.operator('POST', `/operator/partners/${partnerId}/members`, { body: { name: `${role} ${seq++}`, role } });
  expect(res.status).toBe(201);
  return res.body.member_id as string;
}

async function keyFor(partnerId: string, memberId: string): Promise<PartnerCredentials> {
  const res = await stack.operator('POST', `/operator/partners/${partnerId}/access-keys`, { body: { member_id: memberId } });
  expect(res.status).toBe(201);
  return res.body as PartnerCredentials;
}

/** The customer ids a caller sees in the partner API's list (distinct queries: identical signed requests are replays). */
async function visibleIds(credentials: PartnerCredentials): Promise<string[]> {
  seq += 1;
  const res = await stack.partner(credentials)('POST', '/v2/partners/sub-customers/query', { body: { offset: 0, limit: 100 }, query: { n: String(seq) } });
  expect(res.status).toBe(200);
  return (res.body.customer_infos as { customer_id: string }[]).map((c) => c.customer_id).sort();
}

describe('salesperson scoping', () => {
  it('shows a salesperson only their own customers, and answers 404 for any other id, assigned or not', async () => {
    const partner = await stack.createPartner();
    const [alice, bob] = [await member(partner.partner_id, 'salesperson'), await member(partner.partner_id, 'salesperson')];
    const [asAlice, asBob] = [await keyFor(partner.partner_id, alice), await keyFor(partner.partner_id, bob)];
    const [c1, c2, c3] = [await customerOf(partner.partner_id), await customerOf(partner.partner_id), await customerOf(partner.partner_id)];

    const admin = stack.partner(partner);
    expect((await admin('PUT', `/v2/partners/sub-customers/${c1}/account-manager`, { body: { member_id: alice } })).body).toEqual({ customer_id: c1, account_manager_id: alice });
    expect((await admin('PUT', `/v2/partners/sub-customers/${c2}/account-manager`, { body: { member_id: bob } })).status).toBe(200);

    expect(await visibleIds(asAlice)).toEqual([c1]);
    expect(await visibleIds(asBob)).toEqual([c2]);
    expect(await visibleIds(partner)).toEqual([c1, c2, c3].sort());

    // Bob's customer, an unassigned customer and an id that does not exist all read the same to Alice.
    const alices = stack.partner(asAlice);
    const missing = `${c1.slice(0, -4)}zzzz`;
    for (const id of [c2, c3, missing]) {
      for (const [method, path, body] of [
        ['GET', `/v2/partners/sub-customers/${id}`, undefined],
        ['POST', `/v2/partners/sub-customers/${id}/reveal`, { field: 'mobile' }],
        ['PUT', `/v2/partners/sub-customers/${id}/labels`, { labels: ['alice'] }],
        ['POST', `/v2/partners/sub-customers/${id}/contacts`, { name: 'Alice' }],
      ] as const) {
        const res = await alices(method, path, { body });
        expect({ id, path: path.replace(id, ':id'), status: res.status, body: res.body }).toEqual({
          id,
          path: path.replace(id, ':id'),
          status: 404,
          body: { error_code: 'CBC.0101', error_msg: `Customer ${id} is not one of your customers.` },
        });
      }
    }
    // Filtering by id does not leak either.
    const filtered = await alices('POST', '/v2/partners/sub-customers/query', { body: { customer_id: c2 } });
    expect(filtered.body).toEqual({ count: 0, customer_infos: [] });
    // Nothing was revealed, so nothing was audited.
    expect((await stack.operator('GET', `/operator/customers/${c2}/audit-records`)).body.records).toEqual([]);

    // Alice reads her own customer, masked, and her reveal is audited under her member id.
    const own = await alices('GET', `/v2/partners/sub-customers/${c1}`);
    expect(own).toMatchObject({ status: 200, body: { customer_id: c1, account_manager_id: alice, mobile_phone: '138****2222' } });
    expect((await alices('POST', `/v2/partners/sub-customers/${c1}/reveal`, { body: { field: 'mobile' } })).body).toMatchObject({ value: '13811112222' });
    const audit = await stack.operator('GET', `/operator/customers/${c1}/audit-records`);
    expect(audit.body.records).toEqual([expect.objectContaining({ member_id: alice, access_key: asAlice.access_key, field: 'mobile' })]);
  });

  it('moves a customer between salespeople when the admin reassigns it, and only the admin may', async () => {
    const partner = await stack.createPartner();
    const [alice, bob] = [await member(partner.partner_id, 'salesperson'), await member(partner.partner_id, 'salesperson')];
    const [asAlice, asBob] = [await keyFor(partner.partner_id, alice), await keyFor(partner.partner_id, bob)];
    const customer = await customerOf(partner.partner_id);
    const admin = stack.partner(partner);

    expect((await admin('PUT', `/v2/partners/sub-customers/${customer}/account-manager`, { body: { member_id: alice } })).status).toBe(200);
    expect(await visibleIds(asAlice)).toEqual([customer]);

    // A salesperson cannot assign, not even to themselves.
    const selfAssign = await stack.partner(asBob)('PUT', `/v2/partners/sub-customers/${customer}/account-manager`, { body: { member_id: bob } });
    expect(selfAssign).toMatchObject({ status: 403, body: { error_code: 'CBC.0151' } });

    expect((await admin('PUT', `/v2/partners/sub-customers/${customer}/account-manager`, { body: { member_id: bob } })).body).toEqual({ customer_id: customer, account_manager_id: bob });
    expect(await visibleIds(asAlice)).toEqual([]);
    expect(await visibleIds(asBob)).toEqual([customer]);
    expect((await stack.partner(asAlice)('GET', `/v2/partners/sub-customers/${customer}`)).status).toBe(404);

    // Unassigning hides it from every salesperson; the admin still sees it.
    expect((await admin('PUT', `/v2/partners/sub-customers/${customer}/account-manager`, { body: { member_id: null } })).body).toEqual({ customer_id: customer, account_manager_id: null });
    expect(await visibleIds(asBob)).toEqual([]);
    expect(await visibleIds(partner)).toEqual([customer]);

    // Each change is published once, in order, for the services that scope by it (billing);
    // assigning what is already assigned is no change and publishes nothing.
    expect((await admin('PUT', `/v2/partners/sub-customers/${customer}/account-manager`, { body: { member_id: null }, query: { again: '1' } })).status).toBe(200);
    await stack.waitForEvent(AccountManagerAssignedV1, (d) => d.customer_id === customer && d.account_manager_id === null);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const published = stack.events().filter((e) => e.type === AccountManagerAssignedV1.type && (e.data as { customer_id: string }).customer_id === customer);
    expect(published.map((e) => (e.data as { account_manager_id: string | null }).account_manager_id)).toEqual([alice, bob, null]);
    expect(published[0].data).toMatchObject({ partner_id: partner.partner_id, association_id: expect.any(String), assigned_at: expect.any(String) });
  });

  it('assigns only salespeople of the same partner', async () => {
    const partner = await stack.createPartner();
    const other = await stack.createPartner();
    const finance = await member(partner.partner_id, 'finance');
    const foreignSalesperson = await member(other.partner_id, 'salesperson');
    const customer = await customerOf(partner.partner_id);
    const admin = stack.partner(partner);

    const notSales = await admin('PUT', `/v2/partners/sub-customers/${customer}/account-manager`, { body: { member_id: finance } });
    expect(notSales).toEqual(expect.objectContaining({ status: 400, body: { error_code: 'CBC.0100', error_msg: `member_id: ${finance} is a finance, not a salesperson; only salespeople manage customers.` } }));
    for (const memberId of [foreignSalesperson, 'no-such-member']) {
      const res = await admin('PUT', `/v2/partners/sub-customers/${customer}/account-manager`, { body: { member_id: memberId } });
      expect(res).toEqual(expect.objectContaining({ status: 400, body: { error_code: 'CBC.0100', error_msg: `member_id: ${memberId} is not a member of your organization.` } }));
    }
    const detail = await admin('GET', `/v2/partners/sub-customers/${customer}`);
    expect(detail.body.account_manager_id).toBeNull();
  });

  it('assigns a customer a salesperson creates to that salesperson, once the association completes', async () => {
    const partner = await stack.createPartner();
    const alice = await member(partner.partner_id, 'salesperson');
    const asAlice = await keyFor(partner.partner_id, alice);
    const created = await stack.partner(asAlice)('POST', '/v2/partners/sub-customers', { body: { xaccount_id: `x-${Date.now()}`, xaccount_type: 'settle_partner' } });
    expect(created.status).toBe(200);
    const customerId = created.body.domain_id as string;
    await waitFor(async () => ((await visibleIds(asAlice)).includes(customerId) ? true : undefined), 'the created customer in the salesperson’s list', { timeoutMs: 15_000 });
    const detail = await stack.partner(partner)('GET', `/v2/partners/sub-customers/${customerId}`);
    expect(detail.body.account_manager_id).toBe(alice);
  });
});
