import { BackendConfigSchema } from '@settle/platform';
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { ReferralKey } from './referrals/referral-token';

const ReferralKeysSchema = z
  .array(z.object({ kid: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'kid must be 1-32 letters, digits, "_" or "-"'), secret: z.string().min(32, 'secret must be at least 32 characters') }).strict())
  .min(1)
  .refine((keys) => new Set(keys.map((k) => k.kid)).size === keys.length, 'key ids must be unique');

/**
 * marketplace-service's configuration. Referral links are signed with the keys of
 * MARKETPLACE_REFERRAL_KEYS, a JSON list `[{"kid":"2026-12","secret":"…"}]`: new links with the key
 * MARKETPLACE_REFERRAL_SIGNING_KID names (default: the first), verification with any listed key,
 * so a key is rotated by adding the new one first and removing the old one only once its links may
 * go dead. Unset (a local run), one key `k0` derived from INTERNAL_AUTH_SECRET is used.
 */
export const MarketplaceConfigSchema = BackendConfigSchema.extend({
  MARKETPLACE_REFERRAL_KEYS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return undefined;
      try {
        const parsed = ReferralKeysSchema.safeParse(JSON.parse(raw));
        if (parsed.success) return parsed.data;
        ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'must be a JSON list of {kid, secret}' });
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON list of {"kid", "secret"}' });
      }
      return z.NEVER;
    }),
  MARKETPLACE_REFERRAL_SIGNING_KID: z.string().optional(),
  /** The store front whose product pages the copied links open. */
  MARKETPLACE_STORE_URL: z.url().default('https://store.settle.local'),
  MARKETPLACE_EXPORT_DIR: z.string().min(1).default('.local/marketplace-exports'),
  MARKETPLACE_EXPORT_TTL_SECONDS: z.coerce.number().int().min(1).max(90 * 24 * 3600).default(7 * 24 * 3600),
  /** How often expired export files are deleted and pending tasks enqueued again. */
  MARKETPLACE_EXPORT_SWEEP_MS: z.coerce.number().int().min(1_000).max(24 * 3600 * 1000).default(3600 * 1000),
  MARKETPLACE_ORDERS_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
});

export type MarketplaceConfig = z.infer<typeof MarketplaceConfigSchema>;

/** The verification keys and the signing key of a configuration. */
export function referralKeysOf(config: Pick<MarketplaceConfig, 'MARKETPLACE_REFERRAL_KEYS' | 'MARKETPLACE_REFERRAL_SIGNING_KID' | 'INTERNAL_AUTH_SECRET'>): { keys: ReferralKey[]; signing: ReferralKey } {
  const keys = config.MARKETPLACE_REFERRAL_KEYS ?? [{ kid: 'k0', secret: createHmac('sha256', config.INTERNAL_AUTH_SECRET).update('settle.marketplace.referral.k0').digest('base64url') }];
  const signing = config.MARKETPLACE_REFERRAL_SIGNING_KID ? keys.find((k) => k.kid === config.MARKETPLACE_REFERRAL_SIGNING_KID) : keys[0];
  if (!signing) throw new Error(`MARKETPLACE_REFERRAL_SIGNING_KID: ${config.MARKETPLACE_REFERRAL_SIGNING_KID} is not a key of MARKETPLACE_REFERRAL_KEYS`);
  return { keys, signing };
}
