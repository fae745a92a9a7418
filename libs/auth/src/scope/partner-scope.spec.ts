import { AccessDeniedError } from '@settle/contracts';
import { Principal } from '../principal/principal';
import { callerOf, isSalesperson, scopeOf } from './partner-scope';
import { permits } from '../nest/principal.guard';

const partner = (role: 'admin' | 'salesperson' | 'finance', memberId?: string): Principal => ({ kind: 'partner', partnerId: 'p1', accessKey: 'AK1', memberId, role, requestId: 'r' });
const operator: Principal = { kind: 'operator', subject: 'alice', roles: ['admin'], requestId: 'r' };

describe('the scope of a caller', () => {
  it('is the partner, its member and role; a salesperson is limited to the customers it manages', () => {
    expect(scopeOf(partner('admin', 'm1'))).toMatchObject({ partnerId: 'p1', accessKey: 'AK1', memberId: 'm1', role: 'admin', accountManagerId: undefined, actor: 'partner:AK1/m1' });
    const sales = scopeOf(partner('salesperson', 'm2'));
    expect(sales.accountManagerId).toBe('m2');
    expect(isSalesperson(sales)).toBe(true);
    expect(isSalesperson(scopeOf(partner('finance', 'm3')))).toBe(false);
  });

  it('limits a salesperson key bound to no member to no customer rather than all of them', () => {
    expect(scopeOf(partner('salesperson')).accountManagerId).toBe('\u0000none');
  });

  it('is refused (403) to anyone but a partner, and cannot be changed once made', () => {
    expect(() => scopeOf(operator)).toThrow(AccessDeniedError);
    expect(() => scopeOf(undefined)).toThrow(AccessDeniedError);
    expect(Object.isFrozen(scopeOf(partner('admin')))).toBe(true);
  });

  it('names callers one way in audit columns', () => {
    expect(callerOf(partner('finance'))).toBe('partner:AK1');
    expect(callerOf(operator)).toBe('operator:alice');
    expect(callerOf({ kind: 'service', service: 'gateway', requestId: 'r' })).toBe('service:gateway');
  });
});

describe('a route requirement', () => {
  it('lets a member in when its role has one of the permissions, and refuses every other caller with 403', () => {
    expect(permits({ kind: 'partner', permissions: ['bills'] }, partner('finance'))).toBe(true);
    expect(permits({ kind: 'partner', permissions: ['bills', 'customers:own'] }, partner('salesperson'))).toBe(true);
    expect(() => permits({ kind: 'partner', permissions: ['bills'] }, partner('salesperson'))).toThrow(AccessDeniedError);
    expect(() => permits({ kind: 'partner', permissions: ['invitations'] }, partner('finance'))).toThrow(AccessDeniedError);
    expect(() => permits({ kind: 'partner', permissions: [] }, operator)).toThrow(AccessDeniedError);
    expect(permits({ kind: 'partner', permissions: [] }, partner('finance'))).toBe(true);
  });

  it('keeps operator and service routes to their callers', () => {
    expect(permits({ kind: 'operator', roles: [] }, operator)).toBe(true);
    expect(() => permits({ kind: 'operator', roles: ['finance'] }, operator)).toThrow(AccessDeniedError);
    expect(() => permits({ kind: 'operator', roles: [] }, partner('admin'))).toThrow(AccessDeniedError);
    expect(permits({ kind: 'service', services: ['gateway'] }, { kind: 'service', service: 'gateway', requestId: 'r' })).toBe(true);
    expect(() => permits({ kind: 'service', services: ['gateway'] }, operator)).toThrow(AccessDeniedError);
  });
});
