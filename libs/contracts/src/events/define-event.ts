import { z } from 'zod';
import { TopicName } from '../kafka/topics';

/** The services that produce events; becomes the CloudEvents `source` (`/settle/<service>`). */
export type ProducerService =
  | 'customer-service'
  | 'billing-service'
  | 'incentive-service'
  | 'invoice-service'
  | 'marketplace-service'
  /** The operator CLI, for its audit of direct actions on Kafka and Redis. */
  | 'settle-cli';

export interface EventDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  /** Stable name without version, e.g. `settle.customer.associated`. */
  readonly name: string;
  readonly version: number;
  /** The CloudEvents `type`: name + version, e.g. `settle.customer.associated.v1`. */
  readonly type: TType;
  readonly topic: TopicName;
  readonly producer: ProducerService;
  readonly description: string;
  /** The data schema; payloads are validated against it when written and when consumed. */
  readonly schema: TSchema;
}

export function defineEvent<const TName extends string, const TVersion extends number, TSchema extends z.ZodType>(def: {
  name: TName;
  version: TVersion;
  topic: TopicName;
  producer: ProducerService;
  description: string;
  schema: TSchema;
}): EventDefinition<`${TName}.v${TVersion}`, TSchema> {
  return Object.freeze({ ...def, type: `${def.name}.v${def.version}` as `${TName}.v${TVersion}` });
}

export type EventData<D extends EventDefinition> = z.infer<D['schema']>;

/** An event as the platform handles it in memory: the CloudEvents attributes plus typed data. */
export interface SettleEvent<TData = unknown> {
  /** CloudEvents `id`: unique per event, the idempotency key of every consumer. */
  id: string;
  type: string;
  /** CloudEvents `source`, e.g. `/settle/customer-service`. */
  source: string;
  /** ISO-8601 timestamp of the state change. */
  time: string;
  /** CloudEvents `subject`: the entity the event is about (e.g. a customer id). */
  subject?: string;
  /** The Kafka key: the partner id for partner events, so one partner's events stay ordered. */
  partitionKey: string;
  /** Follows a request into its events and jobs (CloudEvents extension `correlationid`). */
  correlationId?: string;
  /** W3C trace context of the work that produced it (CloudEvents distributed-tracing extension, `ce_traceparent`). */
  traceparent?: string;
  data: TData;
}
