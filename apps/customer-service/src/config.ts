import { SecretBox, parseKeyring } from '@settle/auth';
import { BackendConfigSchema } from '@settle/platform';
import { z } from 'zod';

export const CustomerServiceConfigSchema = BackendConfigSchema.extend({
  /**
   * Keys that encrypt partner secret keys at rest (AES-256-GCM): `<id>:<base64 32 bytes>,…`. Several
   * during a rotation: every configured key opens what it sealed, the active one seals.
   */
  CREDENTIALS_ENCRYPTION_KEYS: z.string().optional(),
  /** The id in CREDENTIALS_ENCRYPTION_KEYS new secrets are sealed under (optional with one key). */
  CREDENTIALS_ENCRYPTION_ACTIVE_KEY: z.string().optional(),
  /** The key of the first release (id `legacy`, opens secrets sealed before key ids); alone, it also seals. */
  CREDENTIALS_ENCRYPTION_KEY: z.string().optional(),
  /** How often pending online invitations past their 7 days are marked expired. */
  INVITATION_EXPIRY_SWEEP_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** How often notifications still pending (their job never enqueued) are enqueued again. */
  NOTIFICATION_SWEEP_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(10_000),
  /**
   * Where notifications go. `sink` records the delivery only (nothing leaves the platform: local
   * stacks); `webhook` POSTs each rendered message to NOTIFICATION_WEBHOOK_URL, as an SMS or email
   * provider's HTTP API is called. Providers plug in here.
   */
  NOTIFICATION_CHANNEL: z.enum(['sink', 'webhook']).default('sink'),
  NOTIFICATION_WEBHOOK_URL: z.string().url('must be a URL').optional(),
}).superRefine((config, ctx) => {
  const { problems } = parseKeyring({ keys: config.CREDENTIALS_ENCRYPTION_KEYS, activeId: config.CREDENTIALS_ENCRYPTION_ACTIVE_KEY, legacyKey: config.CREDENTIALS_ENCRYPTION_KEY });
  for (const p of problems) ctx.addIssue({ code: 'custom', path: [p.variable], message: p.message });
  if (config.NOTIFICATION_CHANNEL === 'webhook' && !config.NOTIFICATION_WEBHOOK_URL) {
    ctx.addIssue({ code: 'custom', path: ['NOTIFICATION_WEBHOOK_URL'], message: 'is required when NOTIFICATION_CHANNEL is webhook' });
  }
});

export type CustomerServiceConfig = z.infer<typeof CustomerServiceConfigSchema>;

/** The sealing keys of a validated configuration. */
export function secretBoxOf(config: CustomerServiceConfig): SecretBox {
  return SecretBox.fromSettings({ keys: config.CREDENTIALS_ENCRYPTION_KEYS, activeId: config.CREDENTIALS_ENCRYPTION_ACTIVE_KEY, legacyKey: config.CREDENTIALS_ENCRYPTION_KEY });
}
