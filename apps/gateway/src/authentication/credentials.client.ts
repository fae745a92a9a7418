import { signPrincipal } from '@settle/auth';
import { newCorrelationId } from '@settle/platform';

export type KeyRole = 'admin' | 'salesperson' | 'finance';
const KEY_ROLES: readonly string[] = ['admin', 'salesperson', 'finance'];

export interface PartnerCredentials {
  partnerId: string;
  secretKey: string;
  /** The member the key acts as; absent for a key that acts as the partner's admin. */
  memberId?: string;
  role: KeyRole;
}

/**
 * Looks up a partner's secret, member and role in customer-service (which keeps the secret
 * encrypted at rest) and caches them for CREDENTIAL_CACHE_MS (`ttlMs`). Consequence: a revoked or
 * rotated-out key keeps working at this gateway for at most CREDENTIAL_CACHE_MS after the revocation
 * (default 30 s; 0 turns the cache off), and so does a change of the member's role. Unknown keys
 * are cached for a short time only, so a freshly issued key works almost at once.
 */
export class CredentialsClient {
  private readonly cache = new Map<string, { value: PartnerCredentials | undefined; expires: number }>();

  constructor(
    private readonly customerServiceUrl: string,
    private readonly internalSecret: string,
    private readonly ttlMs: number,
    private readonly negativeTtlMs = Math.min(ttlMs, 2_000),
  ) {}

  async lookup(accessKey: string): Promise<PartnerCredentials | undefined> {
    const cached = this.cache.get(accessKey);
    if (this.ttlMs > 0 && cached && cached.expires > Date.now()) return cached.value;
    const path = `/internal/credentials/${encodeURIComponent(accessKey)}`;
    const proof = signPrincipal({ kind: 'service', service: 'gateway', requestId: newCorrelationId() }, { method: 'GET', path, query: '' }, this.internalSecret);
    const response = await fetch(`${this.customerServiceUrl}${path}`, { headers: { ...proof }, signal: AbortSignal.timeout(3_000) });
    let value: PartnerCredentials | undefined;
    if (response.status === 200) {
      const body = (await response.json()) as { partner_id: string; secret_key: string; member_id?: string | null; role?: string };
      value = { partnerId: body.partner_id, secretKey: body.secret_key, role: roleOf(body), ...(body.member_id ? { memberId: body.member_id } : {}) };
    } else if (response.status !== 404) {
      throw new Error(`customer-service answered ${response.status} to a credentials lookup`);
    }
    this.cache.set(accessKey, { value, expires: Date.now() + (value ? this.ttlMs : this.negativeTtlMs) });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value as string);
    return value;
  }
}

/**
 * The role a key acts with. A key without a member and without a role (customer-service before
 * members existed) is the partner's admin; an unknown role, or a member key without a role, is a
 * platform fault rather than a guess, so it never widens access.
 */
export function roleOf(body: { member_id?: string | null; role?: string }): KeyRole {
  if (body.role === undefined && !body.member_id) return 'admin';
  if (body.role === undefined || !KEY_ROLES.includes(body.role)) throw new Error(`customer-service answered role ${String(body.role)} for a key: not a member role`);
  return body.role as KeyRole;
}
