import { signPrincipal } from '@settle/auth';
import { newCorrelationId } from '@settle/platform';

export interface PartnerCredentials {
  partnerId: string;
  secretKey: string;
}

/**
 * Looks up a partner's secret in customer-service (which keeps it encrypted at rest) and caches
 * it briefly. A revoked key stops working within the cache time; unknown keys are cached for a
 * short time only, so a freshly issued key works almost at once.
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
    if (cached && cached.expires > Date.now()) return cached.value;
    const path = `/internal/credentials/${encodeURIComponent(accessKey)}`;
    const proof = signPrincipal({ kind: 'service', service: 'gateway', requestId: newCorrelationId() }, { method: 'GET', path }, this.internalSecret);
    const response = await fetch(`${this.customerServiceUrl}${path}`, { headers: { ...proof }, signal: AbortSignal.timeout(3_000) });
    let value: PartnerCredentials | undefined;
    if (response.status === 200) {
      const body = (await response.json()) as { partner_id: string; secret_key: string };
      value = { partnerId: body.partner_id, secretKey: body.secret_key };
    } else if (response.status !== 404) {
      throw new Error(`customer-service answered ${response.status} to a credentials lookup`);
    }
    this.cache.set(accessKey, { value, expires: Date.now() + (value ? this.ttlMs : this.negativeTtlMs) });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value as string);
    return value;
  }
}
