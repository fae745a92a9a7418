import { BackendConfigSchema } from '@settle/platform';
import { z } from 'zod';

export const CustomerServiceConfigSchema = BackendConfigSchema.extend({
  /** 32 bytes, base64: encrypts partner secret keys at rest (AES-256-GCM). */
  CREDENTIALS_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes encoded in base64 (e.g. `openssl rand -base64 32`)'),
});

export type CustomerServiceConfig = z.infer<typeof CustomerServiceConfigSchema>;
