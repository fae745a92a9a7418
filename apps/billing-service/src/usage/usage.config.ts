import { z } from 'zod';

/** Usage ingest settings (validated at start-up with billing's configuration). */
export const UsageConfigShape = {
  /** Usage records applied in one transaction at most (multi-row statements; bigger batches, fewer round trips, more memory). */
  USAGE_INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(1_000),
  /** Usage topic partitions one instance works on at once (overlaps database round trips with decoding). */
  USAGE_INGEST_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(3),
};
