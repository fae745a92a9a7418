import { AccessDeniedError } from '@settle/contracts';
import { createHmac, timingSafeEqual } from 'node:crypto';

export type MemberRole = 'admin' | 'salesperson' | 'finance' | 'operator';

/** Who is calling, as established by the gateway. */
export type Principal =
  | { kind: 'partner'; partnerId: string; accessKey: string; memberId?: string; role: MemberRole; requestId: string }
  | { kind: 'operator'; subject: string; roles: string[]; requestId: string }
  | { kind: 'service'; service: string; requestId: string };

/** The member id no salesperson has: a salesperson key bound to no member sees nothing rather than everything. */
export const NO_MEMBER = '\u0000none';

/**
 * The salesperson whose customers are all a caller may see, or undefined when the caller sees all
 * of its partner's customers (admin, finance). Every service scopes salespeople by this.
 */
export function salespersonOf(principal: Principal): string | undefined {
  if (principal.kind !== 'partner' || principal.role !== 'salesperson') return undefined;
  return principal.memberId ?? NO_MEMBER;
}

export const PRINCIPAL_HEADER = 'x-settle-principal';
export const PRINCIPAL_SIGNATURE_HEADER = 'x-settle-principal-signature';
const DEFAULT_MAX_AGE_MS = 60_000;

function mac(secret: string, method: string, path: string, encoded: string): string {
  return createHmac('sha256', secret).update(`${method.toUpperCase()}\n${path}\n${encoded}`).digest('hex');
}

/**
 * The gateway's signed statement of who the caller is, bound to the method and path so it
 * cannot be replayed against another endpoint, and short-lived.
 */
export function signPrincipal(principal: Principal, target: { method: string; path: string }, secret: string, now = new Date()): Record<string, string> {
  const encoded = Buffer.from(JSON.stringify({ v: 1, iat: now.getTime(), ...principal })).toString('base64url');
  return { [PRINCIPAL_HEADER]: encoded, [PRINCIPAL_SIGNATURE_HEADER]: mac(secret, target.method, target.path, encoded) };
}

export function verifyPrincipal(
  headers: Record<string, string | string[] | undefined>,
  target: { method: string; path: string },
  secret: string,
  now = new Date(),
  maxAgeMs = DEFAULT_MAX_AGE_MS,
): Principal {
  const encoded = first(headers[PRINCIPAL_HEADER]);
  const signature = first(headers[PRINCIPAL_SIGNATURE_HEADER]);
  if (!encoded || !signature) throw new AccessDeniedError('Missing gateway proof: call the platform through the gateway.');
  const expected = Buffer.from(mac(secret, target.method, target.path, encoded), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new AccessDeniedError('Invalid gateway proof.');
  let decoded: Principal & { v?: number; iat?: number };
  try {
    decoded = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new AccessDeniedError('Invalid gateway proof.');
  }
  if (decoded.v !== 1 || typeof decoded.iat !== 'number') throw new AccessDeniedError('Invalid gateway proof.');
  if (Math.abs(now.getTime() - decoded.iat) > maxAgeMs) throw new AccessDeniedError('Expired gateway proof.');
  const { v: _v, iat: _iat, ...principal } = decoded;
  return principal as Principal;
}

/** The partner a request acts for; anything else may not touch partner data. */
export function tenantOf(principal: Principal | undefined): string {
  if (principal?.kind !== 'partner') throw new AccessDeniedError('Only a partner may call this.');
  return principal.partnerId;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
