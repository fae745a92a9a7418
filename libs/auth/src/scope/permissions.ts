import type { PartnerKind } from './partner.entity';

export const MemberRoles = ['admin', 'salesperson', 'finance'] as const;
export type MemberRoleName = (typeof MemberRoles)[number];

/** What a member may do; services check the role, this table says what each role means. */
export const Permissions = [
  'customers:all',
  'customers:own',
  'invitations',
  'customer-authorizations',
  'bills',
  'invoices',
  'accounts',
  'incentives',
  'coupons',
  'coupon-quotas:indirect',
  'indirect-partners',
  'marketplace',
  'members',
  'access-keys',
] as const;
export type Permission = (typeof Permissions)[number];

type RoleTable = Record<Exclude<MemberRoleName, 'admin'>, readonly Permission[]>;

const SALES: readonly Permission[] = ['customers:own', 'invitations', 'customer-authorizations'];
const FINANCE: readonly Permission[] = ['bills', 'invoices', 'accounts', 'incentives'];

/**
 * Default permissions per partner kind and role. A salesperson sees only their own customers and
 * invitations; finance sees bills, invoices, accounts and incentives; a distributor adds voucher
 * quota for its tier-2 resellers; a solution provider adds the marketplace. Admin has every
 * permission of its kind, plus the whole customer list, members and access keys.
 */
export const DefaultPermissions: Record<PartnerKind, RoleTable & { adminOnly: readonly Permission[] }> = {
  reseller: {
    salesperson: SALES,
    finance: [...FINANCE, 'coupons'],
    adminOnly: ['customers:all', 'indirect-partners', 'members', 'access-keys'],
  },
  distributor: {
    salesperson: [...SALES, 'indirect-partners'],
    finance: [...FINANCE, 'coupons', 'coupon-quotas:indirect'],
    adminOnly: ['customers:all', 'members', 'access-keys'],
  },
  'solution-provider': {
    salesperson: [...SALES, 'marketplace'],
    finance: [...FINANCE, 'marketplace'],
    adminOnly: ['customers:all', 'members', 'access-keys'],
  },
};

/** The permissions of a role in a partner of this kind, in the order of `Permissions`. */
export function permissionsOf(kind: PartnerKind, role: MemberRoleName): Permission[] {
  const table = DefaultPermissions[kind];
  const granted = new Set<Permission>(role === 'admin' ? [...table.salesperson, ...table.finance, ...table.adminOnly] : (table[role] ?? []));
  if (role === 'admin') granted.delete('customers:own');
  return Permissions.filter((p) => granted.has(p));
}
