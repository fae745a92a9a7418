import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Principal } from '../principal/principal';
import { Permission } from '../scope/permissions';

export const IS_PUBLIC = 'settle:auth:public';
export const REQUIRES = 'settle:auth:requires';

/**
 * What a route asks of its caller. A partner route names the permissions (any one suffices) of
 * the permission table, or none for the few routes every member uses (its own profile, the
 * catalog); an operator route names operator roles (none: any operator).
 */
export type Requirement = { kind: 'partner'; permissions: Permission[] } | { kind: 'operator'; roles: string[] } | { kind: 'service'; services: string[] };

/** Open without the gateway's proof: health and metrics only. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * Partner members whose role has one of these permissions (`permissions.ts`). Every partner
 * route declares this; a route that declares nothing is refused (the guard fails closed) and
 * fails the route walk of its service's tests.
 */
export const RequirePermission = (...permissions: [Permission, ...Permission[]]) => SetMetadata(REQUIRES, { kind: 'partner', permissions } satisfies Requirement);

/** Every member of a partner, whatever its role: only for routes about the caller itself or public reference data. */
export const RequirePartner = () => SetMetadata(REQUIRES, { kind: 'partner', permissions: [] } satisfies Requirement);

/** Operators, optionally with one of these roles. */
export const RequireOperator = (...roles: string[]) => SetMetadata(REQUIRES, { kind: 'operator', roles } satisfies Requirement);

/** Platform services only (the gateway's credential lookup): never a partner or an operator. */
export const RequireService = (...services: [string, ...string[]]) => SetMetadata(REQUIRES, { kind: 'service', services } satisfies Requirement);

export interface RequestWithPrincipal {
  principal?: Principal;
}

/** The caller, as verified by PrincipalGuard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal | undefined => {
  return ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal;
});
