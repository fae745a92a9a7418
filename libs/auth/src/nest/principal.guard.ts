import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessDeniedError } from '@settle/contracts';
import { verifyPrincipal } from '../principal/principal';
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
 * Every route of a service needs the gateway's proof, unless marked @Public(). Routes marked
 * with @RequirePartner/@RequireRoles/@RequireOperator also check the kind of caller.
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
    if (!requirement) return true;
    if (requirement.kind === 'partner') {
      if (principal.kind !== 'partner') throw new AccessDeniedError('This API is for partners.');
      if (requirement.roles?.length && !requirement.roles.includes(principal.role)) {
        throw new AccessDeniedError(`This API needs one of the roles: ${requirement.roles.join(', ')}.`);
      }
      return true;
    }
    if (principal.kind !== 'operator') throw new AccessDeniedError('This API is for platform operators.');
    if (requirement.roles.length && !requirement.roles.some((r) => principal.roles.includes(r))) {
      throw new AccessDeniedError(`This operation needs one of the operator roles: ${requirement.roles.join(', ')}.`);
    }
    return true;
  }
}
