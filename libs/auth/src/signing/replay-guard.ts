import { Redis } from 'ioredis';

/**
 * What a repeated signature gets. The provider's SDKs sign with a one-second X-Sdk-Date and no
 * nonce, so two identical calls in one second, or an SDK retry, carry the same signature: it is
 * treated as an idempotency key (as Stripe's keys are), never as an attack to refuse outright.
 */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  /** base64 of the body bytes. */
  body: string;
}

/**
 * The first request with a signature did not leave an answer that can be replayed: the upstream
 * failed after the request may have reached it, or the answer was too large to keep.
 */
export type UnreplayableReason = 'outcome-unknown' | 'too-large';

export type SignatureClaim =
  /** Never seen: this request goes ahead, and its answer is recorded with `complete`. */
  | { outcome: 'first' }
  /** Seen with the same body digest; `answer` is absent while the first is still in flight. */
  | { outcome: 'repeat'; answer?: StoredAnswer; unreplayable?: UnreplayableReason }
  /** Seen with another body digest. */
  | { outcome: 'conflict' };

export interface SignatureStore {
  /** Claims `key` for `ttlSeconds`, or tells what the earlier request with this key left. */
  claim(key: string, bodyDigest: string, ttlSeconds: number): Promise<SignatureClaim>;
  /** Records the first request's answer (or why there is none) for the rest of the key's time. */
  complete(key: string, bodyDigest: string, result: StoredAnswer | UnreplayableReason): Promise<void>;
  /** Forgets a claim whose request certainly never reached a service, so it may be sent again. */
  release(key: string): Promise<void>;
}

interface Entry {
  d: string;
  a?: StoredAnswer;
  u?: UnreplayableReason;
}

function toClaim(entry: Entry, bodyDigest: string): SignatureClaim {
  if (entry.d !== bodyDigest) return { outcome: 'conflict' };
  if (entry.u) return { outcome: 'repeat', unreplayable: entry.u };
  return entry.a ? { outcome: 'repeat', answer: entry.a } : { outcome: 'repeat' };
}

/** Shared by every gateway replica: one Redis key per access key and signature. */
export class RedisSignatureStore implements SignatureStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'settle:replay:',
  ) {}

  async claim(key: string, bodyDigest: string, ttlSeconds: number): Promise<SignatureClaim> {
    const redisKey = `${this.prefix}${key}`;
    // A key expiring between SET NX and GET is claimed afresh on the next turn.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if ((await this.redis.set(redisKey, JSON.stringify({ d: bodyDigest } satisfies Entry), 'EX', ttlSeconds, 'NX')) === 'OK') return { outcome: 'first' };
      const stored = await this.redis.get(redisKey);
      if (stored !== null) return toClaim(JSON.parse(stored) as Entry, bodyDigest);
    }
    throw new Error(`replay store: ${key} neither claimable nor readable`);
  }

  async complete(key: string, bodyDigest: string, result: StoredAnswer | UnreplayableReason): Promise<void> {
    const entry: Entry = typeof result === 'string' ? { d: bodyDigest, u: result } : { d: bodyDigest, a: result };
    // KEEPTTL: the answer lives as long as the signature could be presented again; XX: never revive an expired key.
    await this.redis.call('SET', `${this.prefix}${key}`, JSON.stringify(entry), 'KEEPTTL', 'XX');
  }

  async release(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}${key}`);
  }
}

/** For unit tests and single-process tools only. */
export class InMemorySignatureStore implements SignatureStore {
  private readonly entries = new Map<string, { entry: Entry; expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(key: string, bodyDigest: string, ttlSeconds: number): Promise<SignatureClaim> {
    const found = this.entries.get(key);
    if (found && found.expires > this.now()) return toClaim(found.entry, bodyDigest);
    this.entries.set(key, { entry: { d: bodyDigest }, expires: this.now() + ttlSeconds * 1000 });
    return { outcome: 'first' };
  }

  async complete(key: string, bodyDigest: string, result: StoredAnswer | UnreplayableReason): Promise<void> {
    const found = this.entries.get(key);
    if (!found || found.expires <= this.now()) return;
    found.entry = typeof result === 'string' ? { d: bodyDigest, u: result } : { d: bodyDigest, a: result };
  }

  async release(key: string): Promise<void> {
    this.entries.delete(key);
  }
}
