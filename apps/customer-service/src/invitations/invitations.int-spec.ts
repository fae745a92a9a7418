import { InvitationCreatedV1, InvitationExpiredV1 } from '@settle/contracts';
import { waitFor } from '@settle/testing';
import { CustomerStack, startCustomerStack } from '../testing/customer-stack';

let stack: CustomerStack;
beforeAll(async () => {
  // A one-second sweep shows the scheduled expiry job at work without waiting a minute.
  stack = await startCustomerStack({ INVITATION_EXPIRY_SWEEP_MS: '1000' });
}, 120_000);
afterAll(() => stack?.close(), 60_000);

let seq = 0;
const accountName = () => `inv_${Date.now().toString(36)}_${++seq}`;

async function backdate(invitationId: string, expiresAt: string) {
  await stack.dataSource.query(`UPDATE invitations SET expires_at = $2 WHERE id = $1`, [invitationId, expiresAt]);
}

describe('invitations', () => {
  it('associates a prospect that registers with the reported mobile number, and refuses any other number', async () => {
    const partner = await stack.createPartner();
    const call = stack.partner(partner);
    const created = await call('POST', '/v2/partners/invitations', { body: { kind: 'online', mobile_phone: '13811112222', association_type: 1 } });
    expect(created).toMatchObject({ status: 201, body: { kind: 'online', status: 'pending', mobile_phone: '138****2222', invitation_token: expect.any(String) } });
    const validDays = (Date.parse(created.body.expires_at) - Date.parse(created.body.created_at)) / 86_400_000;
    expect(validDays).toBeCloseTo(7, 5);
    await stack.waitForEvent(InvitationCreatedV1, (d) => d.invitation_id === created.body.invitation_id);

    const wrong = await stack.operator('POST', '/operator/customer-console/invitations/accept', {
      body: { invitation_token: created.body.invitation_token, domain_name: accountName(), mobile_phone: '13899999999' },
    });
    expect(wrong).toMatchObject({ status: 400, body: { error_code: 'CBC.7011' } });

    const accepted = await stack.operator('POST', '/operator/customer-console/invitations/accept', {
      body: { invitation_token: created.body.invitation_token, domain_name: accountName(), mobile_phone: '13811112222', name: 'Wang Wu' },
    });
    expect(accepted).toMatchObject({ status: 201, body: { invitation: { status: 'accepted' }, association: { partner_id: partner.partner_id, association_type: 1, source: 'invitation' } } });
    const customerId = accepted.body.association.customer_id;
    const listed = await call('POST', '/v2/partners/sub-customers/query', { body: { customer_id: customerId } });
    expect(listed.body.count).toBe(1);

    const twice = await stack.operator('POST', '/operator/customer-console/invitations/accept', {
      body: { invitation_token: created.body.invitation_token, domain_name: accountName(), mobile_phone: '13811112222' },
    });
    expect(twice).toMatchObject({ status: 409, body: { error_code: 'CBC.7012' } });
    const unknown = await stack.operator('POST', '/operator/customer-console/invitations/accept', {
      body: { invitation_token: 'x'.repeat(32), domain_name: accountName(), mobile_phone: '13811112222' },
    });
    expect(unknown.status).toBe(404);
  });

  it('expires online invitations on schedule; an expired one cannot be accepted and can be re-sent with a new link', async () => {
    const partner = await stack.createPartner();
    const call = stack.partner(partner);
    const created = (await call('POST', '/v2/partners/invitations', { body: { kind: 'online', mobile_phone: '13833334444' } })).body;
    await backdate(created.invitation_id, '2026-01-01T00:00:00Z');

    // The scheduled job (every second here) marks it expired and announces it.
    const expired = await stack.waitForEvent(InvitationExpiredV1, (d) => d.invitation_id === created.invitation_id);
    expect(expired.data).toEqual({ invitation_id: created.invitation_id, partner_id: partner.partner_id, expired_at: '2026-01-01T00:00:00.000Z' });
    const row = await stack.dataSource.query(`SELECT status FROM invitations WHERE id = $1`, [created.invitation_id]);
    expect(row).toEqual([{ status: 'expired' }]);

    const late = await stack.operator('POST', '/operator/customer-console/invitations/accept', {
      body: { invitation_token: created.invitation_token, domain_name: accountName(), mobile_phone: '13833334444' },
    });
    expect(late).toMatchObject({ status: 409, body: { error_code: 'CBC.7010', error_msg: expect.stringMatching(/expired/) } });

    const listedExpired = await call('GET', '/v2/partners/invitations', { query: { status: 'expired' } });
    expect(listedExpired.body.invitations.map((i: { invitation_id: string }) => i.invitation_id)).toEqual([created.invitation_id]);

    const pending = (await call('POST', '/v2/partners/invitations', { body: { kind: 'online', mobile_phone: '13833335555' } })).body;
    const resent = await call('POST', '/v2/partners/invitations/resend', { body: { invitation_ids: [created.invitation_id, pending.invitation_id, 'no-such-invitation'] } });
    expect(resent.status).toBe(200);
    expect(resent.body.invitations).toEqual([expect.objectContaining({ status: 'pending', replaces_invitation_id: created.invitation_id, invitation_token: expect.any(String) })]);
    expect(resent.body.error_details).toEqual([
      { invitation_id: pending.invitation_id, error_code: 'CBC.7012', error_msg: expect.stringMatching(/only expired/) },
      { invitation_id: 'no-such-invitation', error_code: 'CBC.0101', error_msg: expect.any(String) },
    ]);

    // The old link is void; the new one works.
    const old = await stack.operator('POST', '/operator/customer-console/invitations/accept', {
      body: { invitation_token: created.invitation_token, domain_name: accountName(), mobile_phone: '13833334444' },
    });
    expect(old).toMatchObject({ status: 409, body: { error_msg: expect.stringMatching(/replaced/) } });
    const fresh = await stack.operator('POST', '/operator/customer-console/invitations/accept', {
      body: { invitation_token: resent.body.invitations[0].invitation_token, domain_name: accountName(), mobile_phone: '13833334444' },
    });
    expect(fresh.status).toBe(201);
  });

  it('never expires offline invitations, which need no reported number', async () => {
    const partner = await stack.createPartner();
    const created = (await stack.partner(partner)('POST', '/v2/partners/invitations', { body: { kind: 'offline' } })).body;
    expect(created).toMatchObject({ kind: 'offline', expires_at: null, qr_payload: expect.stringMatching(/^settle-invitation:/) });
    const sweep = await stack.operator('POST', '/operator/invitations/expire-due');
    expect(sweep.status).toBe(200);
    const accepted = await stack.operator('POST', '/operator/customer-console/invitations/accept', {
      body: { invitation_token: created.invitation_token, domain_name: accountName(), mobile_phone: '13855556666' },
    });
    expect(accepted.status).toBe(201);
  });

  it('keeps each partner to its own invitations and validates input', async () => {
    const a = await stack.createPartner();
    const b = await stack.createPartner();
    const created = (await stack.partner(a)('POST', '/v2/partners/invitations', { body: { kind: 'online', mobile_phone: '13866667777' } })).body;
    await backdate(created.invitation_id, '2026-01-01T00:00:00Z');
    await waitFor(async () => (await stack.dataSource.query(`SELECT status FROM invitations WHERE id = $1`, [created.invitation_id]))[0].status === 'expired', 'expiry');
    const byB = await stack.partner(b)('POST', '/v2/partners/invitations/resend', { body: { invitation_ids: [created.invitation_id] } });
    expect(byB.body).toEqual({ invitations: [], error_details: [{ invitation_id: created.invitation_id, error_code: 'CBC.0101', error_msg: expect.any(String) }] });
    expect((await stack.partner(b)('GET', '/v2/partners/invitations')).body).toEqual({ total_count: 0, invitations: [] });

    const noMobile = await stack.partner(a)('POST', '/v2/partners/invitations', { body: { kind: 'online' } });
    expect(noMobile).toMatchObject({ status: 400, body: { error_code: 'CBC.0100', error_msg: expect.stringMatching(/mobile_phone/) } });
    expect((await stack.partner(a)('GET', '/v2/partners/invitations', { query: { limit: 500 } })).status).toBe(400);
  });
});
