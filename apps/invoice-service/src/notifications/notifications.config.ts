import { parseKeyring } from '@settle/auth';
import { z } from 'zod';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Invoice notification settings (validated at start-up with the rest of the configuration). */
export const NotificationsConfigShape = {
  /** The SMTP server email notifications go through (`smtp://user:pass@host:port`); without it email deliveries are recorded as skipped. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  SMTP_FROM: z.string().min(3).max(200).default('Settle Invoices <invoices@settle.local>'),
  /** Whether this instance runs delivery jobs (workers may run as their own deployment). */
  INVOICE_NOTIFICATION_WORKER_ENABLED: bool.default(true),
  INVOICE_NOTIFICATION_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** How long a job stays with a worker that stopped answering (killed) before another takes it over. */
  INVOICE_NOTIFICATION_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /** Attempts of one delivery, the first included; after the last the job stays failed for an operator to replay. */
  INVOICE_NOTIFICATION_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** The first retry's delay; each next doubles, with jitter (half the delay at most). */
  INVOICE_NOTIFICATION_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(2_000),
  /** How often deliveries whose job was never enqueued are enqueued. */
  INVOICE_NOTIFICATION_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(2_000),
  /** A webhook call that takes longer fails (and is retried). */
  INVOICE_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Consecutive failed attempts after which an endpoint is paused (and reported) instead of called again. */
  INVOICE_WEBHOOK_PAUSE_AFTER: z.coerce.number().int().min(1).max(1_000).default(10),
  /** Keys that seal webhook secrets at rest (AES-256-GCM), as customer-service seals partner secret keys. */
  CREDENTIALS_ENCRYPTION_KEYS: z.string().optional(),
  CREDENTIALS_ENCRYPTION_ACTIVE_KEY: z.string().optional(),
  CREDENTIALS_ENCRYPTION_KEY: z.string().optional(),
};

type Shape = { CREDENTIALS_ENCRYPTION_KEYS?: string; CREDENTIALS_ENCRYPTION_ACTIVE_KEY?: string; CREDENTIALS_ENCRYPTION_KEY?: string };

/** Whether any sealing key is configured (without one, webhook endpoints cannot be registered). */
export const hasSealingKeys = (config: Shape): boolean => [config.CREDENTIALS_ENCRYPTION_KEYS, config.CREDENTIALS_ENCRYPTION_ACTIVE_KEY, config.CREDENTIALS_ENCRYPTION_KEY].some((v) => v !== undefined && v !== '');

/**
 * Configured sealing keys must make a keyring: the service refuses to start otherwise, naming the
 * variable. None at all is allowed (a deployment without webhooks): registering an endpoint is then
 * refused with CBC.99007030.
 */
export function checkNotificationsConfig(config: Shape, ctx: z.RefinementCtx): void {
  if (!hasSealingKeys(config)) return;
  const { problems } = parseKeyring({ keys: config.CREDENTIALS_ENCRYPTION_KEYS, activeId: config.CREDENTIALS_ENCRYPTION_ACTIVE_KEY, legacyKey: config.CREDENTIALS_ENCRYPTION_KEY });
  for (const p of problems) ctx.addIssue({ code: 'custom', path: [p.variable], message: p.message });
}
