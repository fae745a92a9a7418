import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessDeniedError } from '@settle/contracts';
import { Principal, verifyPrincipal } from '../principal/principal';
import { roleMayUse } from '../scope/permissions';
import { IS_PUBLIC, REQUIRES, RequestWithPrincipal, Requirement } from './auth.decorators';

export const AUTH_OPTIONS = Symbol('settle.auth-options');

export interface AuthModuleOptions {
  /** Shared with the gateway; verifies its proof of authentication. */
  internalSecret: string;
}

interface HttpRequestLike extends RequestWithPrincipal {
  method: string;
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body bytes as received (Nest raw body, libs/platform bootstrap); the proof covers their digest. */
  rawBody?: Buffer;
}

/**
 * Every route of a service needs the gateway's proof, unless marked @Public(), and declares who
 * may call it: @RequirePermission (partner members whose role has the permission), @RequirePartner
 * (any member), @RequireOperator or @RequireService. A route that declares nothing is refused (403): a new route,
 * in any service, is closed until someone says who may use it.
 */
@Injectable()
export class PrincipalGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_OPTIONS) private readonly options: AuthModuleOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<HttpRequestLike>();
    const queryStart = request.originalUrl.indexOf('?');
    const target = {
      method: request.method,
      path: queryStart >= 0 ? request.originalUrl.slice(0, queryStart) : request.originalUrl,
      query: queryStart >= 0 ? request.originalUrl.slice(queryStart + 1) : '',
      body: request.rawBody,
    };
    const principal = verifyPrincipal(request.headers, target, this.options.internalSecret);
    request.principal = principal;
    const requirement = this.reflector.getAllAndOverride<Requirement | undefined>(REQUIRES, targets);
    if (!requirement) throw new AccessDeniedError('This route declares no permission; nobody may call it.');
    return permits(requirement, principal);
  }
}

/** Whether a verified caller meets a route's requirement; throws 403 in the error shape when not. */
export function permits(requirement: Requirement, principal: Principal): true {
  if (requirement.kind === 'partner') {
    if (principal.kind !== 'partner') throw new AccessDeniedError('This API is for partners.');
    if (requirement.permissions.length && !requirement.permissions.some((p) => roleMayUse(principal.role, p))) {
      throw new AccessDeniedError(`This API needs the permission ${requirement.permissions.join(' or ')}, which the ${principal.role} role does not have.`);
    }
    return true;
  }
  if (requirement.kind === 'service') {
    if (principal.kind !== 'service' || !requirement.services.includes(principal.service)) throw new AccessDeniedError(`Only ${requirement.services.join(', ')} may call this.`);
    return true;
  }
  if (principal.kind !== 'operator') throw new AccessDeniedError('This API is for platform operators.');
  if (requirement.roles.length && !requirement.roles.some((r) => principal.roles.includes(r))) {
    throw new AccessDeniedError(`This operation needs one of the operator roles: ${requirement.roles.join(', ')}.`);
  }
  return true;
}
