import { AccessDeniedError } from '@settle/contracts';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

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
const PROOF_VERSION = 2;

/**
 * The request a proof is bound to, exactly as it travels between the gateway and the service:
 * the method, the path and query string as sent on the wire (no normalisation on either side),
 * and the body bytes (absent for a request without a body).
 */
export interface ProofTarget {
  method: string;
  path: string;
  /** The query string without `?`; empty when there is none. */
  query: string;
  body?: Buffer | null;
}

function mac(secret: string, target: ProofTarget, encoded: string): string {
  const bodyDigest = createHash('sha256')
    .update(target.body ?? Buffer.alloc(0))
    .digest('hex');
  // Newlines cannot occur in a request line, so the fields cannot be shifted into one another.
  return createHmac('sha256', secret)
    .update(`v${PROOF_VERSION}\n${target.method.toUpperCase()}\n${target.path}\n${target.query}\n${bodyDigest}\n${encoded}`)
    .digest('hex');
}

/**
 * The gateway's signed statement of who the caller is, bound to the method, path, query and a
 * SHA-256 digest of the body, so a captured proof cannot be replayed against another endpoint or
 * with other parameters, and short-lived (60 s).
 */
export function signPrincipal(principal: Principal, target: ProofTarget, secret: string, now = new Date()): Record<string, string> {
  const encoded = Buffer.from(JSON.stringify({ v: PROOF_VERSION, iat: now.getTime(), ...principal })).toString('base64url');
  return { [PRINCIPAL_HEADER]: encoded, [PRINCIPAL_SIGNATURE_HEADER]: mac(secret, target, encoded) };
}

export function verifyPrincipal(
  headers: Record<string, string | string[] | undefined>,
  target: ProofTarget,
  secret: string,
  now = new Date(),
  maxAgeMs = DEFAULT_MAX_AGE_MS,
): Principal {
  const encoded = first(headers[PRINCIPAL_HEADER]);
  const signature = first(headers[PRINCIPAL_SIGNATURE_HEADER]);
  if (!encoded || !signature) throw new AccessDeniedError('Missing gateway proof: call the platform through the gateway.');
  const expected = Buffer.from(mac(secret, target, encoded), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new AccessDeniedError('Invalid gateway proof.');
  let decoded: Principal & { v?: number; iat?: number };
  try {
    decoded = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new AccessDeniedError('Invalid gateway proof.');
  }
  if (decoded.v !== PROOF_VERSION || typeof decoded.iat !== 'number') throw new AccessDeniedError('Invalid gateway proof.');
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
