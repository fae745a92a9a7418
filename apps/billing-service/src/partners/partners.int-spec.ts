import { ConsumerGroups, PartnerProfileChangedV1, PartnerRegisteredV1 } from '@settle/contracts';
import { waitFor } from '@settle/testing';
import { randomUUID } from 'node:crypto';
import { BillingStack, startBillingStack } from '../testing/billing-stack';
import { ExternalEvents, externalEvents } from '../testing/external-events';

/**
 * Billing's partner projection (issue 4, capability 4 groundwork): customer-service's partner
 * events reach billing through Kafka; a redelivered event changes nothing and an event describing
 * an older state never overwrites a newer one.
 */
let stack: BillingStack;
let external: ExternalEvents;

beforeAll(async () => {
  stack = await startBillingStack();
  external = await externalEvents(stack);
}, 180_000);

afterAll(async () => {
  await external?.close();
  await stack?.close();
}, 60_000);

/** Publishes a partner event as customer-service would, keyed and subjected by the partner. */
function publish(definition: typeof PartnerRegisteredV1 | typeof PartnerProfileChangedV1, partnerId: string, data: Record<string, unknown>, eventId?: string): Promise<string> {
  return external.publish(definition, data, { key: partnerId, subject: partnerId, eventId, source: '/settle/customer-service' });
}

/** Waits until billing's consumer has handled (or skipped) the event id. */
async function processed(eventId: string): Promise<void> {
  await waitFor(async () => {
    const rows = await stack.dataSource.query(`SELECT 1 FROM processed_events WHERE consumer_group = $1 AND event_id = $2`, [ConsumerGroups.BillingPartners, eventId]);
    return rows.length > 0;
  }, `billing to process event ${eventId}`);
}

describe('billing partner projection', () => {
  it('learns a registered partner and its tier-2 reseller, with kind, tier, parent, level, taxpayer type and status', async () => {
    const distributor = await stack.createPartner({ kind: 'distributor', level: 'preferred', taxpayer_type: 'small-scale' });
    const reseller = await stack.createPartner({ kind: 'reseller', tier: 2, parent_partner_id: distributor.partner_id });

    const parent = await stack.knowsPartner(distributor.partner_id);
    expect(parent).toMatchObject({
      partner_id: distributor.partner_id,
      kind: 'distributor',
      tier: null,
      parent_partner_id: null,
      level: 'preferred',
      taxpayer_type: 'small-scale',
      certification_status: 'uncertified',
    });
    const child = await stack.knowsPartner(reseller.partner_id);
    expect(child).toMatchObject({ kind: 'reseller', tier: 2, parent_partner_id: distributor.partner_id, level: 'registered', taxpayer_type: 'general' });

    const unknown = await stack.operator('GET', '/operator/billing/partners/no-such-partner');
    expect(unknown).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });
    const bad = await stack.operator('GET', '/operator/billing/partners/bad%20id');
    expect(bad).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
  });

  it('follows profile changes from customer-service', async () => {
    const partner = await stack.createPartner({ kind: 'reseller' });
    await stack.knowsPartner(partner.partner_id);
    const patched = await stack.operator('PATCH', `/operator/partners/${partner.partner_id}`, { body: { level: 'certified', certification_status: 'certified' } });
    expect(patched.status).toBe(200);
    const profile = await stack.knowsPartner(partner.partner_id, (p) => p.level === 'certified');
    expect(profile).toMatchObject({ level: 'certified', certification_status: 'certified', taxpayer_type: 'general', tier: 1 });
  });

  it('changes nothing on a redelivered event, and never lets an older state overwrite a newer one', async () => {
    const partnerId = `p-${randomUUID().slice(0, 8)}`;
    const profile = { partner_id: partnerId, name: 'Replay Ltd', kind: 'reseller', tier: 1, parent_partner_id: null, level: 'registered', taxpayer_type: 'general', certification_status: 'uncertified' };
    const registered = await publish(PartnerRegisteredV1, partnerId, { ...profile, registered_at: '2025-03-01T00:00:00.000Z' });
    await stack.knowsPartner(partnerId);

    const change = { ...profile, level: 'leading', changed_fields: ['level'], changed_at: '2025-03-05T00:00:00.000Z' };
    const changeId = await publish(PartnerProfileChangedV1, partnerId, change);
    const newest = await stack.knowsPartner(partnerId, (p) => p.level === 'leading');
    expect(newest).toMatchObject({ level: 'leading', registered_at: '2025-03-01T00:00:00.000Z', profile_at: '2025-03-05T00:00:00.000Z' });

    // The same events again (same ids): the inbox drops them.
    await publish(PartnerRegisteredV1, partnerId, { ...profile, registered_at: '2025-03-01T00:00:00.000Z' }, registered);
    await publish(PartnerProfileChangedV1, partnerId, change, changeId);
    // Same key, same partition: once the two events below are processed, the redeliveries above were too.
    // A different, older change (a replay from an earlier offset): it must not win.
    const stale = await publish(PartnerProfileChangedV1, partnerId, { ...profile, level: 'certified', changed_fields: ['level'], changed_at: '2025-03-02T00:00:00.000Z' });
    // And a registration event re-sent under a new id: a registration never overwrites a known profile.
    const reRegistered = await publish(PartnerRegisteredV1, partnerId, { ...profile, name: 'Other name', registered_at: '2025-03-01T00:00:00.000Z' });
    await processed(stale);
    await processed(reRegistered);

    const after = await stack.operator('GET', `/operator/billing/partners/${partnerId}`);
    expect(after.body).toEqual(newest);
    const [{ n }] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM processed_events WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])`, [ConsumerGroups.BillingPartners, [registered, changeId]]);
    expect(n).toBe(2);
  });

  it('builds the row from a change that arrives before the registration, then keeps the newer state', async () => {
    const partnerId = `p-${randomUUID().slice(0, 8)}`;
    const profile = { partner_id: partnerId, name: 'Late Start', kind: 'distributor', tier: null, parent_partner_id: null, level: 'registered', taxpayer_type: 'general', certification_status: 'pending' };
    await publish(PartnerProfileChangedV1, partnerId, { ...profile, certification_status: 'certified', changed_fields: ['certification_status'], changed_at: '2025-04-02T00:00:00.000Z' });
    await stack.knowsPartner(partnerId);
    const registration = await publish(PartnerRegisteredV1, partnerId, { ...profile, registered_at: '2025-04-01T00:00:00.000Z' });
    await processed(registration);
    const res = await stack.operator('GET', `/operator/billing/partners/${partnerId}`);
    expect(res.body).toMatchObject({ certification_status: 'certified', registered_at: '2025-04-01T00:00:00.000Z', profile_at: '2025-04-02T00:00:00.000Z' });
  });
});
