import { issueOperatorToken } from '@settle/auth';
import { PartnerProfileChangedV1, PartnerRegisteredV1 } from '@settle/contracts';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CustomerStack, startCustomerStack } from '../testing/customer-stack';
import { AccessKey } from './access-key.entity';

let stack: CustomerStack;
beforeAll(async () => {
  // No credential cache at the gateway: a revocation must show at once.
  stack = await startCustomerStack({ CREDENTIAL_CACHE_MS: '0' });
}, 120_000);
afterAll(() => stack?.close(), 60_000);

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

async function addMember(partnerId: string, role: string, name = `${role} member`) {
  const res = await stack.operator('POST', `/operator/partners/${partnerId}/members`, { body: { name, role, mobile: '+8613800000000', email: 'staff@example.com' } });
  expect(res.status).toBe(201);
  return res.body as { member_id: string; role: string; permissions: string[] };
}

async function issueKey(partnerId: string, memberId?: string) {
  const res = await stack.operator('POST', `/operator/partners/${partnerId}/access-keys`, { body: memberId ? { member_id: memberId } : {} });
  expect(res.status).toBe(201);
  return res.body as { partner_id: string; access_key: string; secret_key: string; member_id: string | null; role: string };
}

describe('partners: kinds, tiers and profile', () => {
  it('creates each kind; resellers default to tier 1; the registration is published', async () => {
    for (const kind of ['reseller', 'distributor', 'solution-provider']) {
      const created = await stack.operator('POST', '/operator/partners', { body: { name: `A ${kind}`, kind } });
      expect(created.status).toBe(201);
      expect(Object.keys(created.body).sort()).toEqual(['access_key', 'partner_id', 'secret_key']);
      const shown = await stack.operator('GET', `/operator/partners/${created.body.partner_id}`);
      expect(shown.body).toMatchObject({
        partner_id: created.body.partner_id,
        kind,
        tier: kind === 'reseller' ? 1 : null,
        parent_partner_id: null,
        level: 'registered',
        taxpayer_type: 'general',
        certification_status: 'uncertified',
      });
      const event = await stack.waitForEvent(PartnerRegisteredV1, (d) => d.partner_id === created.body.partner_id);
      expect(event.data).toMatchObject({ kind, tier: kind === 'reseller' ? 1 : null });
    }
  });

  it('places a tier-2 reseller under a tier-1 reseller or a distributor, and refuses any other parent', async () => {
    const tier1 = await stack.createPartner({ kind: 'reseller' });
    const distributor = await stack.createPartner({ kind: 'distributor' });
    const provider = await stack.createPartner({ kind: 'solution-provider' });

    const missing = await stack.operator('POST', '/operator/partners', { body: { name: 'T2', kind: 'reseller', tier: 2 } });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error_code: 'CBC.0100' });
    expect(missing.body.error_msg).toContain('must be a tier-1 reseller or a distributor');

    const unknown = await stack.operator('POST', '/operator/partners', { body: { name: 'T2', kind: 'reseller', tier: 2, parent_partner_id: 'nosuchpartner' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error_msg).toContain('must be a tier-1 reseller or a distributor');

    const underProvider = await stack.operator('POST', '/operator/partners', { body: { name: 'T2', kind: 'reseller', tier: 2, parent_partner_id: provider.partner_id } });
    expect(underProvider.status).toBe(400);
    expect(underProvider.body.error_msg).toContain('is a solution-provider');

    const underTier1 = await stack.createPartner({ kind: 'reseller', tier: 2, parent_partner_id: tier1.partner_id });
    const underDistributor = await stack.createPartner({ kind: 'reseller', tier: 2, parent_partner_id: distributor.partner_id });
    expect((await stack.operator('GET', `/operator/partners/${underTier1.partner_id}`)).body).toMatchObject({ tier: 2, parent_partner_id: tier1.partner_id });
    expect((await stack.operator('GET', `/operator/partners/${underDistributor.partner_id}`)).body).toMatchObject({ tier: 2, parent_partner_id: distributor.partner_id });

    const underTier2 = await stack.operator('POST', '/operator/partners', { body: { name: 'T3', kind: 'reseller', tier: 2, parent_partner_id: underTier1.partner_id } });
    expect(underTier2.status).toBe(400);
    expect(underTier2.body.error_msg).toContain('is a tier-2 reseller');

    const tieredDistributor = await stack.operator('POST', '/operator/partners', { body: { name: 'D', kind: 'distributor', tier: 1 } });
    expect(tieredDistributor.status).toBe(400);
    expect(tieredDistributor.body.error_msg).toContain('tier applies to resellers only');
    const tier1WithParent = await stack.operator('POST', '/operator/partners', { body: { name: 'R', kind: 'reseller', parent_partner_id: distributor.partner_id } });
    expect(tier1WithParent.status).toBe(400);
  });

  it('patches level, taxpayer type and certification status and publishes the new profile', async () => {
    const partner = await stack.createPartner({ kind: 'solution-provider', level: 'certified' });
    const patched = await stack.operator('PATCH', `/operator/partners/${partner.partner_id}`, { body: { taxpayer_type: 'small-scale', certification_status: 'certified' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ level: 'certified', taxpayer_type: 'small-scale', certification_status: 'certified' });
    expect((await stack.operator('GET', `/operator/partners/${partner.partner_id}`)).body).toMatchObject({ taxpayer_type: 'small-scale', certification_status: 'certified' });
    const event = await stack.waitForEvent(PartnerProfileChangedV1, (d) => d.partner_id === partner.partner_id);
    expect(event.data).toMatchObject({ changed_fields: ['taxpayer_type', 'certification_status'], taxpayer_type: 'small-scale', level: 'certified' });

    expect((await stack.operator('PATCH', `/operator/partners/${partner.partner_id}`, { body: {} })).status).toBe(400);
    expect((await stack.operator('PATCH', `/operator/partners/${partner.partner_id}`, { body: { kind: 'reseller' } })).status).toBe(400);
    expect((await stack.operator('PATCH', `/operator/partners/${partner.partner_id}`, { body: { level: 'gold' } })).status).toBe(400);
    expect((await stack.operator('PATCH', '/operator/partners/nosuchpartner', { body: { level: 'leading' } })).status).toBe(404);
  });
});

describe('members and keys', () => {
  it('shows the secret key only at issue, never in a list, and stores only its ciphertext', async () => {
    const partner = await stack.createPartner({ kind: 'reseller' });
    const finance = await addMember(partner.partner_id, 'finance');
    expect(finance.permissions).toEqual(expect.arrayContaining(['bills', 'invoices', 'accounts']));
    expect(finance.permissions).not.toContain('members');
    const issued = await issueKey(partner.partner_id, finance.member_id);
    expect(issued).toMatchObject({ member_id: finance.member_id, role: 'finance' });
    expect(issued.secret_key).toMatch(/^[A-Za-z0-9_-]{40}$/);

    const listed = await stack.operator('GET', `/operator/partners/${partner.partner_id}/access-keys`);
    expect(listed.status).toBe(200);
    expect(listed.body.total_count).toBe(2);
    expect(listed.body.access_keys).toEqual([
      expect.objectContaining({ access_key: partner.access_key, member_id: null, role: 'admin', status: 'active', revoked_at: null }),
      expect.objectContaining({ access_key: issued.access_key, member_id: finance.member_id, role: 'finance', status: 'active' }),
    ]);
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(issued.secret_key);
    expect(text).not.toContain(partner.secret_key);
    expect(text).not.toContain('secret');

    const rows = await stack.dataSource.getRepository(AccessKey).findBy({ partnerId: partner.partner_id });
    expect(rows).toHaveLength(2);
    const stored = JSON.stringify(await stack.dataSource.getRepository(AccessKey).createQueryBuilder('k').where('k.partner_id = :id', { id: partner.partner_id }).getRawMany());
    expect(stored).toContain(rows[0].secretCiphertext);
    expect(stored).not.toContain(issued.secret_key);
    expect(stored).not.toContain(partner.secret_key);
    for (const row of rows) expect(Buffer.from(row.secretCiphertext, 'base64').length).toBeGreaterThan(28);

    const me = await stack.partner(issued)('GET', '/v2/partners/members/me');
    expect(me.body).toMatchObject({ partner_id: partner.partner_id, member_id: finance.member_id, role: 'finance' });
  });

  it('a rotated key and a revoked key get 401 through the gateway; the new key works', async () => {
    const partner = await stack.createPartner({ kind: 'distributor' });
    const sales = await addMember(partner.partner_id, 'salesperson');
    const key = await issueKey(partner.partner_id, sales.member_id);
    expect((await stack.partner(key)('GET', '/v2/partners/members/me')).status).toBe(200);

    const rotated = await stack.operator('POST', `/operator/partners/${partner.partner_id}/access-keys/${key.access_key}/rotate`);
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({ member_id: sales.member_id, role: 'salesperson', replaced_access_key: key.access_key });
    expect(rotated.body.access_key).not.toBe(key.access_key);

    const old = await stack.partner(key)('GET', '/v2/partners/members/me');
    expect(old).toMatchObject({ status: 401, body: { error_code: 'CBC.0150' } });
    const fresh = await stack.partner(rotated.body)('GET', '/v2/partners/members/me');
    expect(fresh).toMatchObject({ status: 200, body: { member_id: sales.member_id, role: 'salesperson', access_key: rotated.body.access_key } });

    const again = await stack.operator('POST', `/operator/partners/${partner.partner_id}/access-keys/${key.access_key}/rotate`);
    expect(again.status).toBe(409);

    const revoked = await stack.operator('POST', `/operator/partners/${partner.partner_id}/access-keys/${rotated.body.access_key}/revoke`);
    expect(revoked).toMatchObject({ status: 200, body: { status: 'revoked', member_id: sales.member_id } });
    expect(revoked.body.revoked_at).toEqual(expect.any(String));
    expect((await stack.partner(rotated.body)('GET', '/v2/partners/members/me')).status).toBe(401);

    const keys = await stack.operator('GET', `/operator/partners/${partner.partner_id}/access-keys`);
    expect(keys.body.access_keys.find((k: { access_key: string }) => k.access_key === key.access_key)).toMatchObject({ status: 'revoked', replaced_by: rotated.body.access_key });
    // The partner's own admin key is untouched.
    expect((await stack.partner(partner)('GET', '/v2/partners/members/me')).body).toMatchObject({ role: 'admin', member_id: null });
  });

  it('two concurrent rotations of one key leave exactly one new key', async () => {
    const partner = await stack.createPartner({ kind: 'reseller' });
    const key = await issueKey(partner.partner_id);
    const path = `/operator/partners/${partner.partner_id}/access-keys/${key.access_key}/rotate`;
    const results = await Promise.all([stack.operator('POST', path), stack.operator('POST', path)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const keys = await stack.operator('GET', `/operator/partners/${partner.partner_id}/access-keys`);
    expect(keys.body.access_keys.filter((k: { status: string }) => k.status === 'active')).toHaveLength(2);
    expect(keys.body.total_count).toBe(3);
  });

  it('a salesperson key is refused the admin-only partner endpoints (403 CBC.0151); the admin key succeeds', async () => {
    const partner = await stack.createPartner({ kind: 'reseller' });
    const sales = await addMember(partner.partner_id, 'salesperson');
    const salesKey = await issueKey(partner.partner_id, sales.member_id);
    const asSales = stack.partner(salesKey);
    const asAdmin = stack.partner(partner);

    for (const [method, path, body] of [
      ['GET', '/v2/partners/access-keys', undefined],
      ['GET', '/v2/partners/members', undefined],
      ['POST', '/v2/partners/members', { name: 'Sneaky', role: 'admin' }],
      ['POST', `/v2/partners/access-keys/${partner.access_key}/revoke`, {}],
    ] as const) {
      const res = await asSales(method, path, { body });
      expect({ path, status: res.status, code: res.body?.error_code }).toEqual({ path, status: 403, code: 'CBC.0151' });
    }
    expect((await asSales('GET', '/v2/partners/members/me')).body).toMatchObject({ role: 'salesperson', member_id: sales.member_id, permissions: ['customers:own', 'invitations', 'customer-authorizations'] });

    const keys = await asAdmin('GET', '/v2/partners/access-keys');
    expect(keys.status).toBe(200);
    expect(keys.body.access_keys.map((k: { access_key: string }) => k.access_key).sort()).toEqual([partner.access_key, salesKey.access_key].sort());
    expect(JSON.stringify(keys.body)).not.toContain(salesKey.secret_key);

    const added = await asAdmin('POST', '/v2/partners/members', { body: { name: 'New finance', role: 'finance', email: 'fin@example.com' } });
    expect(added).toMatchObject({ status: 201, body: { role: 'finance', partner_id: partner.partner_id } });
    const badRole = await asAdmin('POST', '/v2/partners/members', { body: { name: 'X', role: 'operator' } });
    expect(badRole).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    const members = await asAdmin('GET', '/v2/partners/members');
    expect(members.body.members.map((m: { name: string }) => m.name)).toEqual(['salesperson member', 'New finance']);

    const selfRevoke = await asAdmin('POST', `/v2/partners/access-keys/${partner.access_key}/revoke`, { body: {} });
    expect(selfRevoke.status).toBe(409);
    const revokeSales = await asAdmin('POST', `/v2/partners/access-keys/${salesKey.access_key}/revoke`, { body: {} });
    expect(revokeSales).toMatchObject({ status: 200, body: { status: 'revoked' } });
    expect((await asSales('GET', '/v2/partners/members/me')).status).toBe(401);
  });

  it("partner B can neither list nor touch partner A's keys and members", async () => {
    const a = await stack.createPartner({ kind: 'reseller' });
    const b = await stack.createPartner({ kind: 'reseller' });
    const aMember = await addMember(a.partner_id, 'finance');
    const aKey = await issueKey(a.partner_id, aMember.member_id);
    const asB = stack.partner(b);

    const bKeys = await asB('GET', '/v2/partners/access-keys');
    expect(bKeys.body.access_keys.map((k: { access_key: string }) => k.access_key)).toEqual([b.access_key]);
    const bMembers = await asB('GET', '/v2/partners/members');
    expect(bMembers.body).toEqual({ total_count: 0, members: [] });

    const touch = await asB('POST', `/v2/partners/access-keys/${aKey.access_key}/revoke`, { body: {} });
    expect(touch).toMatchObject({ status: 404, body: { error_code: 'CBC.0101' } });
    expect((await stack.partner(aKey)('GET', '/v2/partners/members/me')).status).toBe(200);

    // Through the operator API a member or key is found only under its own partner.
    const crossIssue = await stack.operator('POST', `/operator/partners/${b.partner_id}/access-keys`, { body: { member_id: aMember.member_id } });
    expect(crossIssue.status).toBe(404);
    const crossRevoke = await stack.operator('POST', `/operator/partners/${b.partner_id}/access-keys/${aKey.access_key}/revoke`);
    expect(crossRevoke.status).toBe(404);
    // Partner paths do not take operator tokens, and operator paths do not take partner signatures.
    expect((await asB('GET', `/operator/partners/${a.partner_id}/access-keys`)).status).toBe(403);
  });

  it('validates member input and unknown partners', async () => {
    const partner = await stack.createPartner({ kind: 'solution-provider' });
    const badMobile = await stack.operator('POST', `/operator/partners/${partner.partner_id}/members`, { body: { name: 'M', role: 'finance', mobile: 'call me' } });
    expect(badMobile).toMatchObject({ status: 400, body: { error_code: 'CBC.0100' } });
    expect((await stack.operator('POST', '/operator/partners/nosuchpartner/members', { body: { name: 'M', role: 'finance' } })).status).toBe(404);
    expect((await stack.operator('GET', '/operator/partners/nosuchpartner/access-keys')).status).toBe(404);
    const admin = await addMember(partner.partner_id, 'admin');
    expect(admin.permissions).toEqual(expect.arrayContaining(['marketplace', 'members', 'access-keys', 'customers:all']));
    const listed = await stack.operator('GET', `/operator/partners/${partner.partner_id}/members`, { query: { limit: 1 } });
    expect(listed.body).toMatchObject({ total_count: 1, members: [{ member_id: admin.member_id, role: 'admin' }] });
  });
});

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function settle(args: string[]): Promise<CliRun> {
  const token = issueOperatorToken({ subject: 'cli-test', roles: ['admin'], ttlSeconds: 600 }, stack.secrets.OPERATOR_TOKEN_SECRET);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/settle/bin/settle.js'), ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SETTLE_URL: stack.gatewayUrl, SETTLE_OPERATOR_TOKEN: token },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the operator CLI', () => {
  it('creates a partner, adds a member, issues, lists and revokes a key; errors carry the API code and exit non-zero', async () => {
    const created = await settle(['partner', 'create', '--name', 'CLI Distributor', '--kind', 'distributor', '--json']);
    expect(created).toMatchObject({ code: 0 });
    const partner = JSON.parse(created.stdout);
    expect(Object.keys(partner).sort()).toEqual(['access_key', 'partner_id', 'secret_key']);

    const tier2 = await settle(['partner', 'create', '--name', 'CLI T2', '--kind', 'reseller', '--tier', '2', '--parent', partner.partner_id, '--json']);
    expect(tier2.code).toBe(0);
    const shown = await settle(['partner', 'show', '--partner', JSON.parse(tier2.stdout).partner_id, '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ kind: 'reseller', tier: 2, parent_partner_id: partner.partner_id });

    const refused = await settle(['partner', 'create', '--name', 'CLI T2', '--kind', 'reseller', '--tier', '2', '--json']);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('CBC.0100');
    expect(refused.stderr).toContain('tier-1 reseller or a distributor');

    const member = JSON.parse((await settle(['partner', 'members', 'add', '--partner', partner.partner_id, '--name', 'Sam', '--role', 'salesperson', '--json'])).stdout);
    expect(member).toMatchObject({ role: 'salesperson' });
    const members = JSON.parse((await settle(['partner', 'members', 'list', '--partner', partner.partner_id, '--json'])).stdout);
    expect(members.members.map((m: { member_id: string }) => m.member_id)).toEqual([member.member_id]);

    const issued = JSON.parse((await settle(['partner', 'keys', 'issue', '--partner', partner.partner_id, '--member', member.member_id, '--json'])).stdout);
    expect(issued).toMatchObject({ member_id: member.member_id, role: 'salesperson', secret_key: expect.any(String) });
    expect((await stack.partner(issued)('GET', '/v2/partners/members/me')).status).toBe(200);

    const list = await settle(['partner', 'keys', 'list', '--partner', partner.partner_id, '--json']);
    expect(JSON.parse(list.stdout).total_count).toBe(2);
    expect(list.stdout).not.toContain(issued.secret_key);

    const revoked = await settle(['partner', 'keys', 'revoke', '--partner', partner.partner_id, '--ak', issued.access_key, '--json']);
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ access_key: issued.access_key, status: 'revoked' });
    expect((await stack.partner(issued)('GET', '/v2/partners/members/me')).status).toBe(401);

    const human = await settle(['partner', 'keys', 'list', '--partner', partner.partner_id]);
    expect(human.stdout).toContain(`${issued.access_key}  revoked`);

    const unknown = await settle(['partner', 'keys', 'rotate', '--partner', partner.partner_id, '--ak', 'NOSUCHKEY', '--json']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('CBC.0101');
  }, 120_000);
});
