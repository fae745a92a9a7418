import { createHmac } from 'node:crypto';
import { Principal, signPrincipal, tenantOf, verifyPrincipal, NO_MEMBER, salespersonOf } from './principal';

const SECRET = 'internal-secret-shared-by-gateway-and-services';
const NOW = new Date('2026-11-22T10:00:00Z');
const partner: Principal = { kind: 'partner', partnerId: 'p1', accessKey: 'AK', role: 'admin', requestId: 'r1' };
const body = Buffer.from('{"offset":0,"limit":10}');
const target = { method: 'POST', path: '/v2/partners/sub-customers/query', query: 'lang=en', body };

describe('the gateway proof', () => {
  it('round-trips the principal for the same method, path, query and body', () => {
    expect(verifyPrincipal(signPrincipal(partner, target, SECRET, NOW), target, SECRET, NOW)).toEqual(partner);
    const bodiless = { method: 'GET', path: '/v2/accounts/partner-accounts/balances', query: '' };
    expect(verifyPrincipal(signPrincipal(partner, bodiless, SECRET, NOW), { ...bodiless, body: Buffer.alloc(0) }, SECRET, NOW)).toEqual(partner);
  });

  it('cannot be replayed against another endpoint or method', () => {
    const headers = signPrincipal(partner, target, SECRET, NOW);
    expect(() => verifyPrincipal(headers, { ...target, path: '/operator/partners' }, SECRET, NOW)).toThrow('Invalid gateway proof.');
    expect(() => verifyPrincipal(headers, { ...target, method: 'GET' }, SECRET, NOW)).toThrow('Invalid gateway proof.');
  });

  it('refuses a query altered after signing: changed, added, removed, or moved into the path', () => {
    const headers = signPrincipal(partner, target, SECRET, NOW);
    for (const query of ['lang=fr', 'lang=en&limit=1000', '']) {
      expect(() => verifyPrincipal(headers, { ...target, query }, SECRET, NOW)).toThrow('Invalid gateway proof.');
    }
    expect(() => verifyPrincipal(headers, { ...target, path: `${target.path}\nlang=en`, query: '' }, SECRET, NOW)).toThrow('Invalid gateway proof.');
  });

  it('refuses a body altered after signing, by a single byte or dropped', () => {
    const headers = signPrincipal(partner, target, SECRET, NOW);
    const altered = Buffer.from(body);
    altered[altered.length - 2] = '9'.charCodeAt(0);
    expect(() => verifyPrincipal(headers, { ...target, body: altered }, SECRET, NOW)).toThrow('Invalid gateway proof.');
    expect(() => verifyPrincipal(headers, { ...target, body: undefined }, SECRET, NOW)).toThrow('Invalid gateway proof.');
  });

  it('cannot be altered: another partner id breaks the signature, and a proof of the old format is refused', () => {
    const headers = signPrincipal(partner, target, SECRET, NOW);
    const forged = Buffer.from(JSON.stringify({ v: 2, iat: NOW.getTime(), ...partner, partnerId: 'p2' })).toString('base64url');
    expect(() => verifyPrincipal({ ...headers, 'x-settle-principal': forged }, target, SECRET, NOW)).toThrow('Invalid gateway proof.');
    const v1 = Buffer.from(JSON.stringify({ v: 1, iat: NOW.getTime(), ...partner })).toString('base64url');
    const v1Mac = createHmac('sha256', SECRET).update(`POST\n${target.path}\n${v1}`).digest('hex');
    expect(() => verifyPrincipal({ 'x-settle-principal': v1, 'x-settle-principal-signature': v1Mac }, target, SECRET, NOW)).toThrow('Invalid gateway proof.');
  });

  it('expires after a minute and is required', () => {
    const headers = signPrincipal(partner, target, SECRET, NOW);
    expect(() => verifyPrincipal(headers, target, SECRET, new Date(NOW.getTime() + 61_000))).toThrow('Expired gateway proof.');
    expect(() => verifyPrincipal({}, target, SECRET, NOW)).toThrow(/Missing gateway proof/);
  });

  it('names the tenant of a partner and refuses anyone else', () => {
    expect(tenantOf(partner)).toBe('p1');
    expect(() => tenantOf({ kind: 'operator', subject: 'a', roles: [], requestId: 'r' })).toThrow('Only a partner may call this.');
  });
});

describe('salespersonOf', () => {
  const partner = { kind: 'partner' as const, partnerId: 'p1', accessKey: 'AK', requestId: 'r' };
  it('limits a salesperson to its own member id, and a salesperson key without one to nobody', () => {
    expect(salespersonOf({ ...partner, role: 'salesperson', memberId: 'm7' })).toBe('m7');
    expect(salespersonOf({ ...partner, role: 'salesperson' })).toBe(NO_MEMBER);
  });
  it('does not limit admin, finance, operators or services', () => {
    expect(salespersonOf({ ...partner, role: 'admin', memberId: 'm1' })).toBeUndefined();
    expect(salespersonOf({ ...partner, role: 'finance' })).toBeUndefined();
    expect(salespersonOf({ kind: 'operator', subject: 'ops', roles: ['admin'], requestId: 'r' })).toBeUndefined();
    expect(salespersonOf({ kind: 'service', service: 'billing', requestId: 'r' })).toBeUndefined();
  });
});
