import { AuthorizationGrantedV1, AuthorizationRejectedV1, AuthorizationRequestedV1, AuthorizationRevokedV1 } from '@settle/contracts';
import { CustomerStack, startCustomerStack } from '../testing/customer-stack';

let stack: CustomerStack;
beforeAll(async () => {
  stack = await startCustomerStack();
}, 120_000);
afterAll(() => stack?.close(), 60_000);

type Partner = Awaited<ReturnType<CustomerStack['createPartner']>>;
const PATH = '/v2/partners/customer-authorizations';
const AGREEMENT = { agreement_accepted: true, agreement_version: '2026.1' };

let seq = 0;
async function registerCustomer(): Promise<string> {
  seq += 1;
  const res = await stack.operator('POST', '/operator/customers', { body: { domain_name: `auth_${Date.now().toString(36)}_${seq}` } });
  expect(res.status).toBe(201);
  return res.body.customer_id;
}

async function associatedCustomer(partner: Partner): Promise<string> {
  const customerId = await registerCustomer();
  const res = await stack.operator('POST', '/operator/associations', { body: { partner_id: partner.partner_id, customer_id: customerId, association_type: 2 } });
  expect(res.status).toBe(201);
  return customerId;
}

/** A partner that already accepted the agreement, with one pending request for a new customer of its own. */
async function pendingRequest(partner?: Partner) {
  const p = partner ?? (await stack.createPartner());
  const customerId = await associatedCustomer(p);
  const res = await stack.partner(p)('POST', PATH, { body: { customer_id: customerId, ...AGREEMENT } });
  expect(res).toMatchObject({ status: 201, body: { status: 'pending' } });
  return { partner: p, customerId, id: res.body.authorization_id as string };
}

const answer = (customerId: string, id: string, action: string, body?: unknown) =>
  stack.operator('POST', `/operator/customer-console/customers/${customerId}/authorizations/${id}/${action}`, { body: body ?? {} });

describe('customer authorization (代客操作授权)', () => {
  it('requires the agency-operation agreement on a partner\'s first request only, records it once, and refuses duplicates and unassociated customers', async () => {
    const partner = await stack.createPartner();
    const call = stack.partner(partner);
    const first = await associatedCustomer(partner);

    const without = await call('POST', PATH, { body: { customer_id: first } });
    expect(without).toMatchObject({ status: 400, body: { error_code: 'CBC.0100', error_msg: expect.stringMatching(/agreement must be accepted/) } });
    const noVersion = await call('POST', PATH, { body: { customer_id: first, agreement_accepted: true } });
    expect(noVersion.status).toBe(400);
    expect(await stack.dataSource.query(`SELECT count(*)::int AS n FROM customer_authorizations WHERE partner_id = $1`, [partner.partner_id])).toEqual([{ n: 0 }]);

    const created = await call('POST', PATH, { body: { customer_id: first, ...AGREEMENT } });
    expect(created).toMatchObject({
      status: 201,
      body: {
        authorization_id: expect.any(String),
        partner_id: partner.partner_id,
        customer_id: first,
        scope: 'all',
        status: 'pending',
        decided_at: null,
        reason: null,
        revoked_at: null,
        agreement: { agreement_version: '2026.1', accepted_by_access_key: partner.access_key },
      },
    });
    const requested = await stack.waitForEvent(AuthorizationRequestedV1, (d) => d.authorization_id === created.body.authorization_id);
    expect(requested.data).toMatchObject({ partner_id: partner.partner_id, customer_id: first, scope: 'all' });
    expect(stack.events().find((e) => e.id === requested.id)?.subject).toBe(first);

    // The second customer needs no agreement; what was recorded stays as it was.
    const second = await associatedCustomer(partner);
    const again = await call('POST', PATH, { body: { customer_id: second, scope: 'billing' } });
    expect(again).toMatchObject({ status: 201, body: { scope: 'billing', status: 'pending', agreement: { agreement_version: '2026.1', accepted_at: created.body.agreement.accepted_at } } });
    const acceptances = await stack.dataSource.query(
      `SELECT agreement_version, accepted_by_access_key FROM partner_agreement_acceptances WHERE partner_id = $1`,
      [partner.partner_id],
    );
    expect(acceptances).toEqual([{ agreement_version: '2026.1', accepted_by_access_key: partner.access_key }]);

    // (A body other than the refused one above: the gateway refuses an identical signed request as a replay.)
    const duplicate = await call('POST', PATH, { body: { customer_id: first, scope: 'all' } });
    expect(duplicate).toMatchObject({ status: 409, body: { error_code: 'CBC.0102' } });

    const stranger = await registerCustomer();
    const unassociated = await call('POST', PATH, { body: { customer_id: stranger } });
    expect(unassociated).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });

    const bad = await call('POST', PATH, { body: { customer_id: first, extra: 1 } });
    expect(bad.status).toBe(400);
  });

  it('lets the customer approve (granted event, visible to the partner) and then revoke; the partner may ask again after a revocation', async () => {
    const { partner, customerId, id } = await pendingRequest();

    const listed = await stack.operator('GET', `/operator/customer-console/customers/${customerId}/authorizations`);
    expect(listed).toMatchObject({ status: 200, body: { total_count: 1, authorizations: [{ authorization_id: id, partner_id: partner.partner_id, status: 'pending' }] } });

    const approved = await answer(customerId, id, 'approve');
    expect(approved).toMatchObject({ status: 200, body: { status: 'approved', decided_at: expect.any(String) } });
    const granted = await stack.waitForEvent(AuthorizationGrantedV1, (d) => d.authorization_id === id);
    expect(granted.data).toMatchObject({ partner_id: partner.partner_id, customer_id: customerId, scope: 'all', granted_at: approved.body.decided_at });

    const seen = await stack.partner(partner)('GET', `${PATH}/${id}`);
    expect(seen).toMatchObject({ status: 200, body: { authorization_id: id, status: 'approved', decided_at: approved.body.decided_at } });
    const approvedList = await stack.partner(partner)('GET', PATH, { query: { status: 'approved' } });
    expect(approvedList.body).toEqual({ total_count: 1, authorizations: [seen.body] });

    // An approved one is live: the partner cannot ask again for the same customer.
    expect((await stack.partner(partner)('POST', PATH, { body: { customer_id: customerId } })).status).toBe(409);

    const revoked = await answer(customerId, id, 'revoke', { reason: 'project finished' });
    expect(revoked).toMatchObject({ status: 200, body: { status: 'revoked', revoked_at: expect.any(String), reason: 'project finished' } });
    const event = await stack.waitForEvent(AuthorizationRevokedV1, (d) => d.authorization_id === id);
    expect(event.data).toEqual({ authorization_id: id, partner_id: partner.partner_id, customer_id: customerId, reason: 'project finished', revoked_at: revoked.body.revoked_at });
    const afterRevoke = await stack.partner(partner)('GET', PATH, { query: { customer_id: customerId } });
    expect(afterRevoke.body).toMatchObject({ total_count: 1, authorizations: [{ authorization_id: id, status: 'revoked' }] });

    const anew = await stack.partner(partner)('POST', PATH, { body: { customer_id: customerId, scope: 'resources' } });
    expect(anew).toMatchObject({ status: 201, body: { status: 'pending', scope: 'resources' } });
  });

  it('lets the customer reject with a reason, and refuses illegal transitions with 409 naming the current status', async () => {
    const { partner, customerId, id } = await pendingRequest();

    const noReason = await answer(customerId, id, 'reject');
    expect(noReason).toMatchObject({ status: 400, body: { error_code: 'CBC.0100', error_msg: expect.stringMatching(/reason/) } });
    const prematureRevoke = await answer(customerId, id, 'revoke');
    expect(prematureRevoke).toMatchObject({ status: 409, body: { error_code: 'CBC.0102', error_msg: expect.stringMatching(/is pending/) } });

    const rejected = await answer(customerId, id, 'reject', { reason: 'we do not know this partner' });
    expect(rejected).toMatchObject({ status: 200, body: { status: 'rejected', reason: 'we do not know this partner', decided_at: expect.any(String) } });
    const event = await stack.waitForEvent(AuthorizationRejectedV1, (d) => d.authorization_id === id);
    expect(event.data).toMatchObject({ partner_id: partner.partner_id, customer_id: customerId, reason: 'we do not know this partner' });

    for (const action of ['approve', 'reject', 'revoke']) {
      const illegal = await answer(customerId, id, action, action === 'reject' ? { reason: 'again' } : {});
      expect(illegal).toMatchObject({ status: 409, body: { error_code: 'CBC.0102', error_msg: expect.stringMatching(/is rejected/) } });
    }
    const partnerView = await stack.partner(partner)('GET', PATH, { query: { customer_id: customerId } });
    expect(partnerView.body).toMatchObject({ total_count: 1, authorizations: [{ authorization_id: id, status: 'rejected', reason: 'we do not know this partner' }] });

    // Another customer cannot answer this request.
    const other = await registerCustomer();
    expect((await answer(other, id, 'approve')).status).toBe(404);
    expect((await answer(customerId, 'no-such-authorization', 'approve')).status).toBe(404);
  });

  it('keeps each partner to its own authorizations and customers', async () => {
    const a = await pendingRequest();
    const b = await stack.createPartner();
    const callB = stack.partner(b);

    expect(await callB('GET', PATH)).toMatchObject({ status: 200, body: { total_count: 0, authorizations: [] } });
    expect((await callB('GET', PATH, { query: { customer_id: a.customerId } })).body).toEqual({ total_count: 0, authorizations: [] });
    expect(await callB('GET', `${PATH}/${a.id}`)).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });
    expect((await callB('POST', PATH, { body: { customer_id: a.customerId, ...AGREEMENT } })).status).toBe(404);
    expect(await stack.dataSource.query(`SELECT count(*)::int AS n FROM partner_agreement_acceptances WHERE partner_id = $1`, [b.partner_id])).toEqual([{ n: 0 }]);

    expect((await stack.partner(a.partner)('GET', PATH, { query: { limit: 101 } })).status).toBe(400);
    expect((await stack.partner(a.partner)('GET', PATH, { query: { status: 'granted' } })).status).toBe(400);
  });

  it('lets only one of three concurrent requests for the same customer through', async () => {
    const partner = await stack.createPartner();
    const customerId = await associatedCustomer(partner);
    const call = stack.partner(partner);
    const results = await Promise.all(
      ['ops', 'billing', 'resources'].map((scope) => call('POST', PATH, { body: { customer_id: customerId, scope, ...AGREEMENT } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const refused of results.filter((r) => r.status === 409)) expect(refused.body.error_code).toBe('CBC.0102');
    expect(await stack.dataSource.query(`SELECT count(*)::int AS n FROM customer_authorizations WHERE customer_id = $1`, [customerId])).toEqual([{ n: 1 }]);
    expect(await stack.dataSource.query(`SELECT count(*)::int AS n FROM partner_agreement_acceptances WHERE partner_id = $1`, [partner.partner_id])).toEqual([{ n: 1 }]);
  });

  it('cannot be granted once the partner is no longer the customer\'s partner, but can still be rejected', async () => {
    const { customerId, id } = await pendingRequest();
    const ended = await stack.operator('POST', '/operator/associations/end', { body: { customer_id: customerId, reason: 'customer left' } });
    expect(ended.status).toBe(200);
    const approve = await answer(customerId, id, 'approve');
    expect(approve).toMatchObject({ status: 409, body: { error_code: 'CBC.0102', error_msg: expect.stringMatching(/no longer associated/) } });
    expect((await answer(customerId, id, 'reject', { reason: 'partner left' })).body.status).toBe('rejected');
  });

  it('revokes approved authorizations when the association ends, and announces it', async () => {
    const { partner, customerId, id } = await pendingRequest();
    expect((await answer(customerId, id, 'approve')).body.status).toBe('approved');
    const ended = await stack.operator('POST', '/operator/associations/end', { body: { customer_id: customerId, reason: 'customer moved' } });
    expect(ended.status).toBe(200);
    const revoked = await stack.waitForEvent(AuthorizationRevokedV1, (d) => d.authorization_id === id);
    expect(revoked.data).toMatchObject({ partner_id: partner.partner_id, customer_id: customerId, reason: expect.stringMatching(/^association ended at /) });
    const seen = await stack.partner(partner)('GET', `${PATH}/${id}`);
    expect(seen.body).toMatchObject({ status: 'revoked' });
  });

  it('lets exactly one of a concurrent approve and reject win', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { customerId, id } = await pendingRequest();
      const [approve, reject] = await Promise.all([answer(customerId, id, 'approve'), answer(customerId, id, 'reject', { reason: 'no' })]);
      const statuses = [approve.status, reject.status].sort();
      expect(statuses).toEqual([200, 409]);
      const winner = approve.status === 200 ? 'approved' : 'rejected';
      const loser = approve.status === 200 ? reject : approve;
      expect(loser.body.error_msg).toMatch(new RegExp(`is ${winner}`));
      expect(await stack.dataSource.query(`SELECT status FROM customer_authorizations WHERE id = $1`, [id])).toEqual([{ status: winner }]);
      const outbox = await stack.dataSource.query(
        `SELECT count(*)::int AS n FROM outbox WHERE subject = $1 AND event_type IN ($2, $3)`,
        [customerId, AuthorizationGrantedV1.type, AuthorizationRejectedV1.type],
      );
      expect(outbox).toEqual([{ n: 1 }]);
    }
  });
});
