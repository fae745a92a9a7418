import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';

/**
 * An on-call action the `settle` CLI took directly on Kafka or Redis (a dead-letter replay, a
 * consumer-group offset reset, a queue retry, pause or drain): who, when, on what, and how it
 * ended. The audit topic is the record that keeps a dead letter from being replayed twice by
 * accident: `target.dead_letter` names the replayed message by topic, partition and offset.
 */
export const OperatorActionRecordedV1 = defineEvent({
  name: 'settle.operations.action-recorded',
  version: 1,
  topic: Topics.OperationsAudit,
  producer: 'settle-cli',
  description: 'An operator action the settle CLI took on Kafka or Redis (replay, offset reset, queue retry, pause, drain), with who, when and what.',
  schema: z
    .object({
      action: z.string().min(1).max(64),
      /** The operator token's subject. */
      actor: z.string().min(1).max(128),
      at: IsoDateTimeSchema,
      target: z
        .object({
          queue: z.string().max(200).optional(),
          job_ids: z.array(z.string().max(200)).max(10_000).optional(),
          group: z.string().max(300).optional(),
          topic: z.string().max(300).optional(),
          /** A replayed dead letter: where it was read. */
          dead_letter: z.object({ topic: z.string().max(300), partition: z.number().int().min(0), offset: z.string().regex(/^\d+$/) }).strict().optional(),
          /** Where a replayed message was written. */
          replayed_to: z.object({ topic: z.string().max(300), partition: z.number().int().min(0), offset: z.string().regex(/^\d+$/) }).strict().optional(),
        })
        .strict(),
      /** What the action changed, in its own words (counts, offsets before and after). */
      details: z.record(z.string(), z.unknown()).optional(),
      outcome: z.enum(['done', 'partial', 'failed']),
    })
    .strict(),
});
