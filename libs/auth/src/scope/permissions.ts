import { PartnerKindValues } from '@settle/contracts';

export const PartnerKinds = PartnerKindValues;
export type PartnerKind = (typeof PartnerKinds)[number];

export const MemberRoles = ['admin', 'salesperson', 'finance'] as const;
export type MemberRoleName = (typeof MemberRoles)[number];

/**
 * marketplace-service (issue 12). `marketplace` (already above): products, exclusive discounts and
 * referral links; `marketplace:split-bills`: the partner's split bills and their exports (money,
 * so finance and admin). Both belong to the marketplace customer-service program, whose members
 * are solution providers and distributors; marketplace-service checks the partner's kind too.
 */
export const MarketplacePermissions = ['marketplace:split-bills'] as const;
const MARKETPLACE_PROGRAM = { salesperson: ['marketplace'], finance: ['marketplace', 'marketplace:split-bills'] } as const;

/**
 * What a member may do. This table is the one source of the permission guard
 * (`@RequirePermission`) on every partner route of every service.
 */
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
  // invoice-service (issue 11): message-receiving settings and webhook endpoints of invoice notifications.
  'invoice-notifications',
  ...MarketplacePermissions,
] as const;
export type Permission = (typeof Permissions)[number];

type RoleTable = Record<Exclude<MemberRoleName, 'admin'>, readonly Permission[]>;

const SALES: readonly Permission[] = ['customers:own', 'invitations', 'customer-authorizations'];
/** invoice-service (issue 11): finance (and admin) choose how invoice notifications reach them. */
const INVOICE_NOTIFICATIONS: readonly Permission[] = ['invoice-notifications'];
const FINANCE: readonly Permission[] = ['bills', 'invoices', 'accounts', 'incentives', ...INVOICE_NOTIFICATIONS];

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
    salesperson: [...SALES, 'indirect-partners', ...MARKETPLACE_PROGRAM.salesperson],
    finance: [...FINANCE, 'coupons', 'coupon-quotas:indirect', ...MARKETPLACE_PROGRAM.finance],
    adminOnly: ['customers:all', 'members', 'access-keys'],
  },
  'solution-provider': {
    salesperson: [...SALES, ...MARKETPLACE_PROGRAM.salesperson],
    finance: [...FINANCE, ...MARKETPLACE_PROGRAM.finance],
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

/**
 * Whether a member of this role may use a permission in a partner of some kind. The gateway's
 * principal names the role, not the partner's kind, so the guard grants what the role has in any
 * kind; a permission that only one kind has (a distributor's tier-2 quota, a solution provider's
 * marketplace) is also checked by the service that knows the partner's kind.
 */
export function roleMayUse(role: string, permission: Permission): boolean {
  if (!(MemberRoles as readonly string[]).includes(role)) return false;
  return PartnerKinds.some((kind) => permissionsOf(kind, role as MemberRoleName).includes(permission));
}
