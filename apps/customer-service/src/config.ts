import { BackendConfigSchema } from '@settle/platform';
import { z } from 'zod';

export const CustomerServiceConfigSchema = BackendConfigSchema.extend({
  /** 32 bytes, base64: encrypts partner secret keys at rest (AES-256-GCM). */
  CREDENTIALS_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes encoded in base64 (e.g. `openssl rand -base64 32`)'),
  /** How often pending online invitations past their 7 days are marked expired. */
  INVITATION_EXPIRY_SWEEP_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** How often notifications still pending (their job never enqueued) are enqueued again. */
  NOTIFICATION_SWEEP_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(10_000),
  /** Where notifications go. `sink` records them for the operator API; providers plug in here. */
  NOTIFICATION_CHANNEL: z.enum(['sink']).default('sink'),
});

export type CustomerServiceConfig = z.infer<typeof CustomerServiceConfigSchema>;
