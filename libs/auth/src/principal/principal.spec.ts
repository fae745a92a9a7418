import { Principal, signPrincipal, tenantOf, verifyPrincipal, NO_MEMBER, salespersonOf } from './principal';

const SECRET = 'internal-secret-shared-by-gateway-and-services';
const NOW = new Date('2026-11-22T10:00:00Z');
const partner: Principal = { kind: 'partner', partnerId: 'p1', accessKey: 'AK', role: 'admin', requestId: 'r1' };
const target = { method: 'POST', path: '/v2/partners/sub-customers/query' };

describe('the gateway proof', () => {
  it('round-trips the principal for the same method and path', () => {
    expect(verifyPrincipal(signPrincipal(partner, target, SECRET, NOW), target, SECRET, NOW)).toEqual(partner);
  });

  it('cannot be replayed against another endpoint or method', () => {
    const headers = signPrincipal(partner, target, SECRET, NOW);
    expect(() => verifyPrincipal(headers, { ...target, path: '/operator/partners' }, SECRET, NOW)).toThrow('Invalid gateway proof.');
    expect(() => verifyPrincipal(headers, { ...target, method: 'GET' }, SECRET, NOW)).toThrow('Invalid gateway proof.');
  });

  it('cannot be altered: another partner id breaks the signature', () => {
    const headers = signPrincipal(partner, target, SECRET, NOW);
    const forged = Buffer.from(JSON.stringify({ v: 1, iat: NOW.getTime(), ...partner, partnerId: 'p2' })).toString('base64url');
    expect(() => verifyPrincipal({ ...headers, 'x-settle-principal': forged }, target, SECRET, NOW)).toThrow('Invalid gateway proof.');
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
