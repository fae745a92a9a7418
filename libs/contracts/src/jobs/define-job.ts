import { z } from 'zod';
import { QueueName } from './queues';

/**
 * A BullMQ job: one queue + one job name + a versioned payload schema. The payload is validated
 * when enqueued and again when a worker takes it, so a worker never runs on the wrong data.
 */
export interface JobDefinition<TName extends string = string, TSchema extends z.ZodType = z.ZodType> {
  readonly queue: QueueName;
  readonly name: TName;
  readonly version: number;
  readonly description: string;
  readonly schema: TSchema;
}

export function defineJob<const TName extends string, TSchema extends z.ZodType>(def: {
  queue: QueueName;
  name: TName;
  version: number;
  description: string;
  schema: TSchema;
}): JobDefinition<TName, TSchema> {
  return Object.freeze({ ...def });
}

export type JobData<D extends JobDefinition> = z.infer<D['schema']>;

/** Carried next to every job's payload: who asked, so logs of the job join the request's. */
export interface JobMeta {
  correlationId?: string;
  /** W3C trace context of the work that enqueued the job; the job's span continues its trace. */
  traceparent?: string;
  version: number;
}
