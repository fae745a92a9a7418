import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The headers of a webhook delivery (documented in docs/invoice-service.md). */
export const WebhookHeaders = {
  /** The delivery's id: the same on every retry of one delivery, so a receiver can drop repeats. */
  Id: 'x-settle-webhook-id',
  /** Unix seconds when this attempt was signed. */
  Timestamp: 'x-settle-webhook-timestamp',
  /** `v1=<hex HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret>`. */
  Signature: 'x-settle-webhook-signature',
} as const;

/** The version of the JSON body (`"version"` in it); a new body shape gets a new version. */
export const WEBHOOK_BODY_VERSION = '1';

/** A new endpoint secret: 32 random bytes, shown to the partner once. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The signature header value of a body sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does (and the docs show): recompute the signature over the timestamp and the raw
 * body, compare in constant time, and refuse a timestamp older than the tolerance (a replay).
 */
export function verifyWebhook(secret: string, headers: { timestamp: string | undefined; signature: string | undefined }, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
