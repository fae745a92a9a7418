import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { MemberRole, Principal } from '../principal/principal';

export const IS_PUBLIC = 'settle:auth:public';
export const REQUIRES = 'settle:auth:requires';

export type Requirement = { kind: 'partner'; roles?: MemberRole[] } | { kind: 'operator'; roles: string[] };

/** Open without the gateway's proof: health and metrics only. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Partners only (any member role). */
export const RequirePartner = () => SetMetadata(REQUIRES, { kind: 'partner' } satisfies Requirement);

/** Partner members with one of these roles. */
export const RequireRoles = (...roles: MemberRole[]) => SetMetadata(REQUIRES, { kind: 'partner', roles } satisfies Requirement);

/** Operators, optionally with one of these roles. */
export const RequireOperator = (...roles: string[]) => SetMetadata(REQUIRES, { kind: 'operator', roles } satisfies Requirement);

export interface RequestWithPrincipal {
  principal?: Principal;
}

/** The caller, as verified by PrincipalGuard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal | undefined => {
  return ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal;
});
