import { AccessDeniedError } from '@settle/contracts';
import { MemberRole, Principal, salespersonOf } from '../principal/principal';

declare const scopeBrand: unique symbol;

/**
 * Whom a partner-facing use case works for. Made only by `scopeOf` from the gateway's verified
 * principal (the brand keeps object literals out), so a partner-facing service method that takes
 * a `PartnerScope` cannot be called for "no partner" or for a partner id a caller typed in.
 *
 * - `partnerId`: every row it reads or writes belongs to this partner (and PostgreSQL's row-level
 *   security holds the transaction to it, see `setPartnerScope`);
 * - `accountManagerId`: set for salespeople, who see only the customers they manage now;
 * - the tier-2 resellers a distributor may act for are data, not part of the principal: the
 *   service that holds the partner tree answers them from this scope (billing's
 *   `PartnersService.requireOwnReseller(scope, resellerId)`).
 */
export interface PartnerScope {
  readonly [scopeBrand]: true;
  readonly partnerId: string;
  /** The access key that signed the request. */
  readonly accessKey: string;
  readonly memberId: string | undefined;
  readonly role: MemberRole;
  readonly accountManagerId: string | undefined;
  /** Who acts, as audit columns record it (`callerOf`). */
  readonly actor: string;
}

/** The scope of a partner caller; anyone else may not use a partner-facing use case (403). */
export function scopeOf(principal: Principal | undefined): PartnerScope {
  if (principal?.kind !== 'partner') throw new AccessDeniedError('Only a partner may call this.');
  return Object.freeze({
    partnerId: principal.partnerId,
    accessKey: principal.accessKey,
    memberId: principal.memberId,
    role: principal.role,
    accountManagerId: salespersonOf(principal),
    actor: callerOf(principal),
  }) as PartnerScope;
}

/** Whether this scope is a salesperson's, limited to the customers it manages. */
export function isSalesperson(scope: PartnerScope): scope is PartnerScope & { accountManagerId: string } {
  return scope.accountManagerId !== undefined;
}

/**
 * The one way a caller is named in audit columns and records: `partner:<AK>[/<member>]`,
 * `operator:<subject>`, `service:<name>`.
 */
export function callerOf(principal: Principal | undefined): string {
  if (!principal) return 'unknown';
  if (principal.kind === 'partner') return `partner:${principal.accessKey}${principal.memberId ? `/${principal.memberId}` : ''}`;
  if (principal.kind === 'operator') return `operator:${principal.subject}`;
  return `service:${principal.service}`;
}
