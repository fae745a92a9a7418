import { DefaultPermissions, MemberRoles, PartnerKinds, Permissions, permissionsOf, roleMayUse } from './permissions';

describe('default member permissions', () => {
  it('gives a salesperson only their own customers and invitations, never money or keys', () => {
    for (const kind of PartnerKinds) {
      const sales = permissionsOf(kind, 'salesperson');
      expect(sales).toEqual(expect.arrayContaining(['customers:own', 'invitations']));
      for (const p of ['customers:all', 'bills', 'invoices', 'accounts', 'members', 'access-keys'] as const) expect(sales).not.toContain(p);
    }
  });

  it('gives finance bills, invoices and accounts, and no customers', () => {
    for (const kind of PartnerKinds) {
      const finance = permissionsOf(kind, 'finance');
      expect(finance).toEqual(expect.arrayContaining(['bills', 'invoices', 'accounts']));
      expect(finance.some((p) => p.startsWith('customers'))).toBe(false);
    }
  });

  it('adds tier-2 coupon quota for distributors and the marketplace for solution providers', () => {
    expect(permissionsOf('distributor', 'finance')).toContain('coupon-quotas:indirect');
    expect(permissionsOf('reseller', 'finance')).not.toContain('coupon-quotas:indirect');
    expect(permissionsOf('solution-provider', 'salesperson')).toContain('marketplace');
    expect(permissionsOf('reseller', 'admin')).not.toContain('marketplace');
  });

  it("gives admin every permission of its kind's roles, all customers instead of own, members and keys", () => {
    for (const kind of PartnerKinds) {
      const admin = permissionsOf(kind, 'admin');
      for (const role of MemberRoles.filter((r) => r !== 'admin')) {
        for (const p of permissionsOf(kind, role)) if (p !== 'customers:own') expect(admin).toContain(p);
      }
      expect(admin).toEqual(expect.arrayContaining(['customers:all', 'members', 'access-keys']));
      expect(admin).not.toContain('customers:own');
      expect(admin).toEqual(Permissions.filter((p) => admin.includes(p)));
    }
    expect(Object.keys(DefaultPermissions).sort()).toEqual([...PartnerKinds].sort());
  });

  it('lets the guard grant a role what it has in some kind of partner, and nothing to unknown roles', () => {
    expect(roleMayUse('finance', 'bills')).toBe(true);
    expect(roleMayUse('finance', 'coupon-quotas:indirect')).toBe(true);
    expect(roleMayUse('salesperson', 'bills')).toBe(false);
    expect(roleMayUse('finance', 'invitations')).toBe(false);
    expect(roleMayUse('admin', 'customers:own')).toBe(false);
    expect(roleMayUse('admin', 'customers:all')).toBe(true);
    expect(roleMayUse('operator', 'bills')).toBe(false);
    expect(roleMayUse('nobody', 'bills')).toBe(false);
  });
});
