import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Referral tokens (推广链接): what a partner's copied product link carries, so that an order placed
 * through it is attributed to the partner without anyone typing a partner id.
 *
 *   v1.<kid>.<payload>.<signature>
 *
 * `payload` is base64url JSON `{ p: partner id, pr: product id, iat, exp? }` (seconds since the
 * epoch); `signature` is base64url HMAC-SHA256 with the key `kid` over `v1.<kid>.<payload>`. The
 * key id lets keys rotate: new links are signed with the current key, and links signed with an
 * older key keep verifying as long as that key stays in the list.
 */
export interface ReferralKey {
  kid: string;
  secret: string;
}

export interface ReferralClaims {
  partnerId: string;
  productId: string;
  issuedAt: Date;
  expiresAt: Date | null;
}

/** Why a token attributes nothing; recorded with the order. */
export type ReferralRejection = 'malformed' | 'unknown-key' | 'bad-signature' | 'expired' | 'foreign-product';

export type ReferralVerification = { ok: true; claims: ReferralClaims; kid: string } | { ok: false; reason: ReferralRejection };

const VERSION = 'v1';
const KID = /^[A-Za-z0-9_-]{1,32}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;

const b64 = (value: Buffer | string) => Buffer.from(value).toString('base64url');
const sign = (secret: string, message: string) => createHmac('sha256', secret).update(message).digest();

/** Signs a token for a partner and product with `key` (pure but for the HMAC). */
export function signReferralToken(key: ReferralKey, claims: ReferralClaims): string {
  if (!KID.test(key.kid)) throw new RangeError(`Key id "${key.kid}" must be 1-32 letters, digits, "_" or "-".`);
  const payload: Record<string, string | number> = { p: claims.partnerId, pr: claims.productId, iat: Math.floor(claims.issuedAt.getTime() / 1000) };
  if (claims.expiresAt) payload.exp = Math.floor(claims.expiresAt.getTime() / 1000);
  const head = `${VERSION}.${key.kid}.${b64(JSON.stringify(payload))}`;
  return `${head}.${b64(sign(key.secret, head))}`;
}

/**
 * Verifies a token for an order of `productId` at `now` (pure): the signature with the key the
 * token names, then the expiry, then the product. Any failure attributes nothing and says why.
 */
export function verifyReferralToken(token: string, keys: readonly ReferralKey[], expected: { productId: string; now: Date }): ReferralVerification {
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION || !KID.test(parts[1]) || !B64URL.test(parts[2]) || !B64URL.test(parts[3])) return { ok: false, reason: 'malformed' };
  const [, kid, payload, signature] = parts;
  const key = keys.find((k) => k.kid === kid);
  if (!key) return { ok: false, reason: 'unknown-key' };
  const given = Buffer.from(signature, 'base64url');
  const wanted = sign(key.secret, `${VERSION}.${kid}.${payload}`);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, reason: 'bad-signature' };
  let claims: { p?: unknown; pr?: unknown; iat?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims !== 'object' || claims === null || typeof claims.p !== 'string' || typeof claims.pr !== 'string' || typeof claims.iat !== 'number' || (claims.exp !== undefined && typeof claims.exp !== 'number')) {
    return { ok: false, reason: 'malformed' };
  }
  const expiresAt = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null;
  if (expiresAt && expected.now.getTime() >= expiresAt.getTime()) return { ok: false, reason: 'expired' };
  if (claims.pr !== expected.productId) return { ok: false, reason: 'foreign-product' };
  return { ok: true, kid, claims: { partnerId: claims.p, productId: claims.pr, issuedAt: new Date(claims.iat * 1000), expiresAt } };
}
