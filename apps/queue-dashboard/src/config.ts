import { CommonConfigSchema, SecretSchema } from '@settle/platform';
import { z } from 'zod';

export const DashboardConfigSchema = CommonConfigSchema.extend({
  /** Verifies the operator tokens on-call signs in with (`settle operator-token` mints them). */
  OPERATOR_TOKEN_SECRET: SecretSchema,
  /** Mark the session cookie Secure (set when the dashboard is served over HTTPS, as in production). */
  DASHBOARD_SECURE_COOKIE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export type DashboardConfig = z.infer<typeof DashboardConfigSchema>;
