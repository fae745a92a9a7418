import { CommonConfigSchema, SecretSchema, urlSchema } from '@settle/platform';
import { z } from 'zod';

const serviceUrl = urlSchema(['http:', 'https:']);

export const GatewayConfigSchema = CommonConfigSchema.extend({
  CUSTOMER_SERVICE_URL: serviceUrl.default('http://127.0.0.1:8081'),
  BILLING_SERVICE_URL: serviceUrl.default('http://127.0.0.1:8082'),
  INCENTIVE_SERVICE_URL: serviceUrl.default('http://127.0.0.1:8083'),
  INVOICE_SERVICE_URL: serviceUrl.default('http://127.0.0.1:8084'),
  MARKETPLACE_SERVICE_URL: serviceUrl.default('http://127.0.0.1:8085'),
  /** Verifies operator tokens (`settle operator-token` mints them). */
  OPERATOR_TOKEN_SECRET: SecretSchema,
  /** Requests per second per access key (or operator) before 429 CBC.0250. */
  RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(50),
  /** How long a verified credential is trusted before it is looked up again (revocation delay). */
  CREDENTIAL_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /**
   * The gateway's own Prometheus metrics are served only on this separate listener (never on the
   * public PORT, where /metrics is 404); unset: not served. Bind it to an internal interface.
   */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** Largest request body accepted and signed over; a larger one is answered 413 CBC.0100. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(10 * 1024 * 1024),
});

export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
