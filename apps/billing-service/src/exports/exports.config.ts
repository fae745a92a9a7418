import { z } from 'zod';

/**
 * Where export files live and for how long. The directory must be shared by every billing-service
 * instance that serves downloads (a volume in docker-compose; see docs/billing/exports.md).
 */
export const ExportsConfigShape = {
  EXPORT_DIR: z.string().min(1).default('.local/exports'),
  /** How long a finished export stays downloadable. */
  EXPORT_TTL_SECONDS: z.coerce.number().int().min(1).max(90 * 24 * 3600).default(7 * 24 * 3600),
  /** How often expired export files are deleted. */
  EXPORT_SWEEP_MS: z.coerce.number().int().min(1_000).max(24 * 3600 * 1000).default(3600 * 1000),
};
