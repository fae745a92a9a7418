import { offlineEnv } from '@settle/service-kit/testing';
import { ApiResponse, PartnerCredentials } from '@settle/testing';
import { randomBytes } from 'node:crypto';
import { CustomerService } from '../customer-service';
import { CustomerStack, startCustomerStack } from './customer-stack';

/**
 * The tenancy proof (issue 16) for customer-service: every partner route, called as partner B with
 * partner A's ids (guessed into paths, bodies and filters), as one of A's salespeople on another
 * salesperson's customer, and as A's finance member on the salespeople's routes. All are refused
 * (403/404 in the error shape) or, where the route answers a list or acts on the caller's own
 * data, answer nothing of A's. The table is keyed by the route walk: a new partner route without a
 * row fails the first test.
 */
let stack: CustomerStack;
beforeAll(async () => {
  stack = await startCustomerStack();
}, 120_000);
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
  a: { partner_id: string; access_key: string };
  customer: string;
  invitation: string;
  authorization: string;
  salesperson: string;
}

interface Row {
  /** As partner B's admin, with A's ids. */
  otherPartner: (w: World) => Probe[];
  /** As A's second salesperson, on the first salesperson's customer (routes salespeople use). */
  otherSalesperson?: (w: World) => Probe[];
}

const agreement = { agreement_accepted: true, agreement_version: '2026.1' };
const refused = (method: string, path: string, body?: unknown, query?: Record<string, string>): Probe => ({ method, path, body, query, expect: 'refused' });
const nothing = (method: string, path: string, body?: unknown, query?: Record<string, string>): Probe => ({ method, path, body, query, expect: 'nothing' });

const customerProbes = (w: World): Probe[] => [
  refused('GET', `/v2/partners/sub-customers/${w.customer}`),
  refused('POST', `/v2/partners/sub-customers/${w.customer}/reveal`, { field: 'mobile' }),
  refused('PUT', `/v2/partners/sub-customers/${w.customer}/labels`, { labels: ['taken-over'] }),
  refused('POST', `/v2/partners/sub-customers/${w.customer}/contacts`, { name: 'Intruder' }),
];

const TABLE: Record<string, Row> = {
  'POST /v2/bases/verificationcode/send': { otherPartner: (w) => [nothing('POST', '/v2/bases/verificationcode/send', { receiver_type: 1, mobile_phone: '13900000001', customer_id: w.customer })] },
  'GET /v2/partners/access-keys': { otherPartner: () => [nothing('GET', '/v2/partners/access-keys')] },
  'POST /v2/partners/access-keys/:access_key/revoke': { otherPartner: (w) => [refused('POST', `/v2/partners/access-keys/${w.a.access_key}/revoke`)] },
  'GET /v2/partners/customer-authorizations': {
    otherPartner: (w) => [nothing('GET', '/v2/partners/customer-authorizations', undefined, { customer_id: w.customer })],
    otherSalesperson: (w) => [nothing('GET', '/v2/partners/customer-authorizations', undefined, { customer_id: w.customer })],
  },
  'POST /v2/partners/customer-authorizations': {
    otherPartner: (w) => [refused('POST', '/v2/partners/customer-authorizations', { customer_id: w.customer, ...agreement })],
    otherSalesperson: (w) => [refused('POST', '/v2/partners/customer-authorizations', { customer_id: w.customer, ...agreement })],
  },
  'GET /v2/partners/customer-authorizations/:authorization_id': {
    otherPartner: (w) => [refused('GET', `/v2/partners/customer-authorizations/${w.authorization}`)],
    otherSalesperson: (w) => [refused('GET', `/v2/partners/customer-authorizations/${w.authorization}`)],
  },
  'GET /v2/partners/invitations': { otherPartner: () => [nothing('GET', '/v2/partners/invitations')], otherSalesperson: () => [nothing('GET', '/v2/partners/invitations')] },
  'POST /v2/partners/invitations': { otherPartner: () => [nothing('POST', '/v2/partners/invitations', { kind: 'offline' })], otherSalesperson: () => [nothing('POST', '/v2/partners/invitations', { kind: 'offline' })] },
  'POST /v2/partners/invitations/resend': {
    otherPartner: (w) => [nothing('POST', '/v2/partners/invitations/resend', { invitation_ids: [w.invitation] })],
    otherSalesperson: (w) => [nothing('POST', '/v2/partners/invitations/resend', { invitation_ids: [w.invitation] })],
  },
  'GET /v2/partners/members': { otherPartner: () => [nothing('GET', '/v2/partners/members')] },
  'POST /v2/partners/members': { otherPartner: () => [nothing('POST', '/v2/partners/members', { name: 'B finance', role: 'finance' })] },
  'GET /v2/partners/members/me': { otherPartner: () => [nothing('GET', '/v2/partners/members/me')] },
  'POST /v2/partners/sub-customers': { otherPartner: (w) => [nothing('POST', '/v2/partners/sub-customers', { xaccount_id: w.customer, xaccount_type: 'settle' })] },
  'GET /v2/partners/sub-customers/:customer_id': { otherPartner: (w) => customerProbes(w).slice(0, 1), otherSalesperson: (w) => customerProbes(w).slice(0, 1) },
  'PUT /v2/partners/sub-customers/:customer_id/account-manager': { otherPartner: (w) => [refused('PUT', `/v2/partners/sub-customers/${w.customer}/account-manager`, { member_id: w.salesperson })] },
  'POST /v2/partners/sub-customers/:customer_id/contacts': { otherPartner: (w) => customerProbes(w).slice(3), otherSalesperson: (w) => customerProbes(w).slice(3) },
  'PUT /v2/partners/sub-customers/:customer_id/labels': { otherPartner: (w) => customerProbes(w).slice(2, 3), otherSalesperson: (w) => customerProbes(w).slice(2, 3) },
  'POST /v2/partners/sub-customers/:customer_id/reveal': { otherPartner: (w) => customerProbes(w).slice(1, 2), otherSalesperson: (w) => customerProbes(w).slice(1, 2) },
  'POST /v2/partners/sub-customers/query': {
    otherPartner: (w) => [nothing('POST', '/v2/partners/sub-customers/query', { customer_id: w.customer, offset: 0, limit: 10 })],
    otherSalesperson: (w) => [nothing('POST', '/v2/partners/sub-customers/query', { customer_id: w.customer, offset: 0, limit: 10 })],
  },
};

/** What a salesperson's permissions open; finance has none of them. */
const SALES_PERMISSIONS = ['customers:own', 'invitations', 'customer-authorizations'];
const partnerRoutes = CustomerService.routes(offlineEnv()).filter((r) => r.access === 'partner');

describe('customer-service tenancy', () => {
  it('has a row for every partner route the walk finds, and salesperson probes for every salesperson route', () => {
    expect(Object.keys(TABLE).sort()).toEqual(partnerRoutes.map((r) => `${r.method} ${r.path}`).sort());
    const salesRoutes = partnerRoutes.filter((r) => r.permissions.some((p) => SALES_PERMISSIONS.includes(p)) && r.path !== '/v2/bases/verificationcode/send' && !r.path.endsWith('/sub-customers'));
    expect(salesRoutes.filter((r) => !TABLE[`${r.method} ${r.path}`].otherSalesperson).map((r) => r.path)).toEqual([]);
  });

  it('refuses partner B, another salesperson and finance everything of partner A, and changes nothing of it', async () => {
    const marker = randomBytes(5).toString('hex');
    const a = await stack.createPartner({ name: `Tenant A ${marker}` });
    const b = await stack.createPartner();
    const member = async (role: string) => {
      const m = await stack.operator('POST', `/operator/partners/${a.partner_id}/members`, { body: { name: `A ${role} ${marker}`, role } });
      const key = await stack.operator('POST', `/operator/partners/${a.partner_id}/access-keys`, { body: { member_id: m.body.member_id } });
      return { id: m.body.member_id as string, key: key.body as PartnerCredentials };
    };
    const [alice, bob, finance] = [await member('salesperson'), await member('salesperson'), await member('finance')];
    const domain = `tenant_a_${marker}`;
    const registered = await stack.operator('POST', '/operator/customers', { body: { domain_name: domain, name: `Owner ${marker}`, mobile_phone: '13912345678', email: `${marker}@example.com` } });
    const customer = registered.body.customer_id as string;
    expect((await stack.operator('POST', '/operator/associations', { body: { partner_id: a.partner_id, customer_id: customer, association_type: 2 } })).status).toBe(201);
    const adminA = stack.partner(a);
    expect((await adminA('PUT', `/v2/partners/sub-customers/${customer}/account-manager`, { body: { member_id: alice.id } })).status).toBe(200);
    expect((await adminA('PUT', `/v2/partners/sub-customers/${customer}/labels`, { body: { labels: [`label-${marker}`] } })).status).toBe(200);
    expect((await adminA('POST', `/v2/partners/sub-customers/${customer}/contacts`, { body: { name: `Contact ${marker}` } })).status).toBe(201);
    const asAlice = stack.partner(alice.key);
    const invitation = (await asAlice('POST', '/v2/partners/invitations', { body: { kind: 'offline' } })).body.invitation_id as string;
    const authorization = (await asAlice('POST', '/v2/partners/customer-authorizations', { body: { customer_id: customer, ...agreement } })).body.authorization_id as string;
    expect([invitation, authorization].every(Boolean)).toBe(true);
    const world: World = { a, customer, invitation, authorization, salesperson: alice.id };
    // The same routes show A's own salesperson its data, so what the probes do not see is there to see.
    expect((await asAlice('GET', `/v2/partners/customer-authorizations/${authorization}`)).status).toBe(200);
    expect(JSON.stringify((await asAlice('GET', '/v2/partners/invitations')).body)).toContain(invitation);

    // A's data: anything of it in an answer (other than what the probe itself sent) is a leak.
    const secrets = [marker, a.partner_id, a.access_key, alice.id, bob.id, finance.id, customer, invitation, authorization, '13912345678'];
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
    const asFinance = stack.partner(finance.key);
    for (const row of Object.values(TABLE)) {
      for (const probe of row.otherPartner(world)) check('partner B', probe, await asB(probe.method, probe.path, { body: probe.body, query: probe.query }));
      for (const probe of row.otherSalesperson?.(world) ?? []) check('other salesperson', probe, await asBob(probe.method, probe.path, { body: probe.body, query: probe.query }));
    }
    for (const route of partnerRoutes.filter((r) => r.permissions.length && r.permissions.every((p) => SALES_PERMISSIONS.includes(p) || p === 'customers:all'))) {
      const probe = (TABLE[`${route.method} ${route.path}`].otherSalesperson ?? TABLE[`${route.method} ${route.path}`].otherPartner)(world)[0];
      check('finance', { ...probe, expect: 'refused' }, await asFinance(probe.method, probe.path, { body: probe.body, query: probe.query }));
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(40);

    // None reached the data: A's customer, invitation, authorization and keys are as A left them.
    const detail = await adminA('GET', `/v2/partners/sub-customers/${customer}`);
    expect(detail.body).toMatchObject({ account_manager_id: alice.id, label: `label-${marker}` });
    expect(detail.body.contacts.map((c: { name: string }) => c.name)).toEqual([`Contact ${marker}`]);
    const [invitationRow] = await stack.dataSource.query(`SELECT status, replaced_by_id FROM invitations WHERE id = $1`, [invitation]);
    expect(invitationRow).toEqual({ status: 'pending', replaced_by_id: null });
    expect(await stack.dataSource.query(`SELECT id FROM customer_authorizations WHERE customer_id = $1`, [customer])).toEqual([{ id: authorization }]);
    expect((await stack.dataSource.query(`SELECT status FROM access_keys WHERE access_key = $1`, [a.access_key]))[0]).toEqual({ status: 'active' });
  }, 120_000);
});
